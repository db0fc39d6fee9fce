using System.Text;
using System.Text.Json;
using Provisioning.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests.Deployment;

/// <summary>Outcomes also published as plain JSON to a topic exchange (<c>Outcomes:PlainJsonExchange</c>).</summary>
public sealed class PlainJsonOutcomeSystem : ProvisioningSystem
{
    public const string Exchange = "provisioning-outcomes";

    protected override Dictionary<string, string?> ConsumerSettings => new() { ["Outcomes:PlainJsonExchange"] = Exchange };
}

public sealed class PlainJsonOutcomeTests(PlainJsonOutcomeSystem system) : IClassFixture<PlainJsonOutcomeSystem>
{
    [Fact]
    public async Task EveryOutcome_IsAlsoPlainJson_RoutedByItsType()
    {
        await using var connection = await new ConnectionFactory { Uri = system.Broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // A subscriber declares the exchange as the consumer does (idempotent) and binds what it wants.
        await channel.ExchangeDeclareAsync(PlainJsonOutcomeSystem.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync($"plain-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, PlainJsonOutcomeSystem.Exchange, "MemberCreated");
        await channel.QueueBindAsync(queue, PlainJsonOutcomeSystem.Exchange, "MemberCreationFailed");

        var created = ProvisioningSystem.NewCommand("plainout");
        var invalid = ProvisioningSystem.NewCommand("plainout") with { Gender = 9 };
        await system.Publisher.PublishAsync(created);
        await system.Publisher.PublishAsync(invalid);

        var messages = new List<(string RoutingKey, string? ContentType, JsonElement Body)>();
        await Wait.Until(async () =>
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                messages.Add((message.RoutingKey, message.BasicProperties.ContentType, JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement.Clone()));
            return messages.Count >= 2;
        }, TimeSpan.FromSeconds(30), "two plain-JSON outcomes");

        var success = messages.Single(m => m.Body.GetProperty("requestId").GetGuid() == created.RequestId);
        var failure = messages.Single(m => m.Body.GetProperty("requestId").GetGuid() == invalid.RequestId);
        Assert.Equal(("MemberCreated", "application/json"), (success.RoutingKey, success.ContentType));
        Assert.Equal(created.UserId, success.Body.GetProperty("userId").GetString());
        Assert.False(success.Body.TryGetProperty("messageType", out _), "plain JSON has no envelope");
        Assert.Equal(("MemberCreationFailed", "Invalid"), (failure.RoutingKey, failure.Body.GetProperty("reason").GetString()));
    }
}
