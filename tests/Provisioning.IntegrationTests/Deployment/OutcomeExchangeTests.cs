using System.Text;
using System.Text.Json;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests.Deployment;

/// <summary>
/// A subscriber may bind before anything has happened: every outcome exchange (each event, the two base types every
/// success and failure also reach, and the plain-JSON exchange when configured) exists once the consumer has started.
/// </summary>
public sealed class OutcomeExchangeTests
{
    const string PlainJsonExchange = "provisioning-outcomes";

    // Written out here rather than read from the production code: the test checks that list, it must not share it.
    static readonly string[] OutcomeExchanges =
    [
        .. new[]
        {
            "MemberCreated", "MemberCreationFailed", "MemberUpdated", "MemberUpdateFailed", "MemberDisabled", "MemberDisableFailed",
            "MemberEnabled", "MemberEnableFailed", "MemberDeleted", "MemberDeletionFailed", "MemberSynced", "MemberSyncFailed",
            "MemberCommandSucceeded", "MemberCommandFailed",
        }.Select(type => $"Provisioning.Contracts:{type}"),
        PlainJsonExchange,
    ];

    [Fact]
    public async Task ConsumerStarted_EveryOutcomeExchangeExistsBeforeAnyCommand_AndASubscriberBoundThenHearsTheFirstOutcome()
    {
        // No outcome listener: it would declare the exchanges this test expects the consumer to declare.
        await using var system = await ProvisioningSystem.StartAsync(new()
        {
            VirtualHostPrefix = "exchanges",
            ConsumerSettings = new() { ["Outcomes:PlainJsonExchange"] = PlainJsonExchange },
            Clients = false,
        });
        var broker = system.Broker;

        // The bus is connected when StartAsync returns; what MassTransit declares at start-up may follow by moments.
        string[] missing = OutcomeExchanges;
        try
        {
            await Wait.Until(async () =>
            {
                var stillMissing = new List<string>();
                foreach (var exchange in OutcomeExchanges)
                {
                    if (!await broker.ExchangeExistsAsync(exchange))
                        stillMissing.Add(exchange);
                }
                missing = [.. stillMissing];
                return missing.Length == 0;
            }, TimeSpan.FromSeconds(10), "every outcome exchange");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"missing outcome exchanges before any command: {string.Join(", ", missing)}");
        }

        // A subscriber that checks (passively) and binds, before the first command of its type.
        await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclarePassiveAsync("Provisioning.Contracts:MemberUpdateFailed");
        await channel.ExchangeDeclarePassiveAsync(PlainJsonExchange);
        var queue = (await channel.QueueDeclareAsync($"subscriber-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, "Provisioning.Contracts:MemberUpdateFailed", "");
        await channel.QueueBindAsync(queue, PlainJsonExchange, "MemberUpdateFailed");

        await using var publisher = await Publisher.StartAsync(broker);
        var command = new UpdateMember { RequestId = Guid.NewGuid(), UserId = "", Name = "改名" };
        await publisher.PublishAsync(command);

        var received = new List<(string Exchange, JsonElement Body)>();
        await Wait.Until(async () =>
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                received.Add((message.Exchange, JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement.Clone()));
            return received.Count >= 2;
        }, TimeSpan.FromSeconds(30), "the first MemberUpdateFailed, enveloped and plain");

        var enveloped = received.Single(m => m.Exchange != PlainJsonExchange).Body.GetProperty("message");
        var plain = received.Single(m => m.Exchange == PlainJsonExchange).Body;
        Assert.Equal((command.RequestId, FailureReasons.Invalid), (enveloped.GetProperty("requestId").GetGuid(), enveloped.GetProperty("reason").GetString()));
        Assert.Equal(command.RequestId, plain.GetProperty("requestId").GetGuid());
    }
}
