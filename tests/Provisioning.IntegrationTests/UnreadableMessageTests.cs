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
