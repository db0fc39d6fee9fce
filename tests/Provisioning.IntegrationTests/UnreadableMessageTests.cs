using System.Text;
using Provisioning.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests;

/// <summary>A message that cannot be read at all is never lost: it lands in create-member_error with the reason.</summary>
public sealed class UnreadableMessageTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>
{
    const string ErrorQueue = "create-member_error";

    [Theory]
    [InlineData("{ this is not json", "application/json")]
    [InlineData("""{"requestId": 12, "userId": ["x"]}""", "application/json")]
    [InlineData("name=zhangsan", "text/plain")]
    public async Task UnreadableMessage_LandsInErrorQueueWithReason(string body, string contentType)
    {
        var marker = Guid.NewGuid().ToString();
        await system.Publisher.Channel.BasicPublishAsync(Publisher.CommandExchange, "", mandatory: true,
            new BasicProperties { ContentType = contentType, Persistent = true, MessageId = marker }, Encoding.UTF8.GetBytes(body));

        var dead = await Wait.For(() => FindInErrorQueue(marker).GetAwaiter().GetResult(), null, $"message {marker} in {ErrorQueue}");

        Assert.Equal(body, Encoding.UTF8.GetString(dead.Body.Span));
        var headers = dead.BasicProperties.Headers!;
        var reason = Header(headers, "MT-Reason") ?? Header(headers, "MT-Fault-Message");
        Assert.False(string.IsNullOrWhiteSpace(reason), "the dead letter carries no reason header");
    }

    public static TheoryData<string, byte[], string, string> HostileBodies() => new()
    {
        { "unknown message type", Encoding.UTF8.GetBytes("""{"messageType":["urn:message:Foo:Bar"],"message":{"userId":"x"}}"""), "application/vnd.masstransit+json", "no consumer takes message type urn:message:Foo:Bar" },
        { "no message type", Encoding.UTF8.GetBytes("""{"message":{"userId":"x"}}"""), "application/vnd.masstransit+json", "skipped" },
        { "5 MB body", Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 5 * 1024 * 1024) + "\"}"), "application/json", "over the limit" },
        { "10,000-deep nesting", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), "application/json", "depth" },
        { "invalid UTF-8", [.. Encoding.UTF8.GetBytes("{\"userId\":\""), 0xff, 0xfe, .. Encoding.UTF8.GetBytes("\"}")], "application/json", "" },
        { "truncated JSON", Encoding.UTF8.GetBytes("""{"requestId":"0b9b7e8e-3c2a-4d5e-9f10-2a3b4c5d6e7f","userId":"zh"""), "application/json", "" },
        { "corrupted envelope", Encoding.UTF8.GetBytes("""{"messageType":["urn:message:Provisioning.Contracts:CreateMember"],"message":{"requestId":"""), "application/vnd.masstransit+json", "" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task HostileMessage_LandsInErrorQueueWithItsReason_NotInSkipped(string kind, byte[] body, string contentType, string reasonFragment)
    {
        var marker = Guid.NewGuid().ToString();
        await system.Publisher.Channel.BasicPublishAsync(Publisher.CommandExchange, "", mandatory: true,
            new BasicProperties { ContentType = contentType, Persistent = true, MessageId = marker }, body);

        var dead = await Wait.For(() => FindInErrorQueue(marker).GetAwaiter().GetResult(), null, $"the {kind} message in {ErrorQueue}");

        var headers = dead.BasicProperties.Headers!;
        var reason = $"{Header(headers, "MT-Reason")} {Header(headers, "MT-Fault-Message")}";
        Assert.False(string.IsNullOrWhiteSpace(reason), $"the {kind} dead letter carries no reason header");
        Assert.Contains(reasonFragment, reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(body.Length, dead.Body.Length);
        Assert.Equal(0u, await MessageCount("create-member_skipped"));
    }

    async Task<uint> MessageCount(string queue)
    {
        await using var channel = await system.Publisher.Connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    async Task<BasicGetResult?> FindInErrorQueue(string marker)
    {
        // A channel per look: MassTransit declares the error queue at the first fault, and asking for a queue
        // that does not exist yet closes the channel. Dead letters that are not ours go back.
        await using var channel = await system.Publisher.Connection.CreateChannelAsync();
        try
        {
            BasicGetResult? result;
            while ((result = await channel.BasicGetAsync(ErrorQueue, autoAck: false)) is not null)
            {
                if (result.BasicProperties.MessageId == marker)
                {
                    await channel.BasicAckAsync(result.DeliveryTag, false);
                    return result;
                }
            }
            return null;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    static string? Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            _ => value?.ToString(),
        } : null;
}
