using System.Text;
using System.Text.Json;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests.Chaos;

/// <summary>
/// A mix of hostile messages against a consumer process: it keeps running with bounded memory, every message is
/// answered or in the error queue with its reason (never in _skipped), no stack trace is logged for input we expect,
/// nothing invalid reaches WeCom, and a valid command afterwards is created.
/// </summary>
[Collection(nameof(ChaosTests))]
public sealed class HostileInputTests
{
    const int Rounds = 10;

    /// <summary>(kind, body, content type, answered): answered ones get a MemberCreationFailed Invalid, the rest go to the error queue.</summary>
    static IEnumerable<(string Kind, byte[] Body, string ContentType, bool Answered)> Mix(Guid requestId)
    {
        byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        string Valid(string fields) =>
            $$"""{"requestId":"{{requestId}}","userId":"h-{{requestId.ToString("N")[..8]}}","name":"张三","mobile":"13800000000"{{fields}}}""";

        yield return ("truncated JSON", Utf8(Valid("")[..40]), "application/json", false);
        yield return ("not JSON", Utf8("name=zhangsan&userId=x"), "application/json", false);
        yield return ("invalid UTF-8", [.. Utf8("{\"userId\":\""), 0xff, 0xfe, .. Utf8("\"}")], "application/json", false);
        yield return ("10,000-deep nesting", Utf8(new string('[', 10_000) + new string(']', 10_000)), "application/json", false);
        yield return ("deep object in extra", Utf8(Valid(",\"extra\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100))), "application/json", false);
        yield return ("5 MB body", Utf8(Valid(",\"address\":\"" + new string('x', 5 * 1024 * 1024) + "\"")), "application/json", false);
        yield return ("unknown message type", Utf8("""{"messageType":["urn:message:Foo:Bar"],"message":{}}"""), "application/vnd.masstransit+json", false);
        yield return ("no message type", Utf8("""{"message":{"userId":"x"}}"""), "application/vnd.masstransit+json", false);
        yield return ("corrupted envelope", Utf8("""{"messageType":["urn:message:Provisioning.Contracts:CreateMember"],"message":{"requestId":"""), "application/vnd.masstransit+json", false);
        yield return ("text/plain", Utf8("hello"), "text/plain", false);
        yield return ("wrong type: requestId number", Utf8("""{"requestId":12,"userId":"x"}"""), "application/json", false);
        yield return ("wrong type: departments object", Utf8(Valid(",\"departments\":{\"id\":1}")), "application/json", false);
        yield return ("wrong type: gender text", Utf8(Valid(",\"gender\":\"male\"")), "application/json", false);
        yield return ("userId with newline", Utf8(Valid("").Replace("\"userId\":\"h-", "\"userId\":\"\\nh-", StringComparison.Ordinal)), "application/json", true);
        yield return ("department without id", Utf8(Valid(",\"departments\":[{}]")), "application/json", true);
        yield return ("null name", Utf8(Valid("").Replace("\"name\":\"张三\"", "\"name\":null", StringComparison.Ordinal)), "application/json", true);
        yield return ("control characters in name", Utf8(Valid("").Replace("张三", "张\\u0007三", StringComparison.Ordinal)), "application/json", true);
        yield return ("NUL in mobile", Utf8(Valid("").Replace("13800000000", "138\\u0000", StringComparison.Ordinal)), "application/json", true);
        yield return ("empty object", Utf8("{}"), "application/json", true);
        yield return ("nulls everywhere", Utf8($$"""{"requestId":"{{requestId}}","userId":null,"name":null,"mobile":null,"email":null,"departments":null,"extAttr":null}"""), "application/json", true);
        yield return ("extra access_token", Utf8(Valid(",\"extra\":{\"access_token\":\"x\"}")), "application/json", true);
    }

    [Fact]
    public async Task HostileMix_ConsumerKeepsRunningWithBoundedMemory_AndEveryMessageIsAnsweredOrDeadLetteredWithItsReason()
    {
        await using var system = await ProvisioningSystem.StartAsync(new() { VirtualHostPrefix = "hostile", Consumer = false });
        var (broker, simulator, outcomes, channel) = (system.Broker, system.Simulator, system.Outcomes, system.Publisher.Channel);
        var consumer = await system.StartConsumerProcessAsync(new()
        {
            ["Logging__LogLevel__Default"] = "Information",
            // What bounds memory under oversized bodies is the prefetch (the broker hands them over whole before we can
            // refuse them unread): with a single enterprise the input queue prefetches MaxConcurrentCalls. At the default
            // 256 all ten 5 MB bodies are in memory at once, where they live in the large object heap until a gen2
            // collection, so the peak depends on GC timing (it once reached +184 MiB); at 32 it is a couple at a time.
            ["WeCom__Limits__MaxConcurrentCalls"] = "32",
        });
        var rssBefore = consumer.PeakRssMiB;

        var answered = new List<Guid>();
        var deadLettered = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var requestId = Guid.NewGuid();
            foreach (var (_, body, contentType, isAnswered) in Mix(requestId))
            {
                var id = isAnswered ? Guid.NewGuid() : requestId;
                var bytes = isAnswered ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(requestId.ToString(), id.ToString(), StringComparison.Ordinal)) : body;
                await channel.BasicPublishAsync(Publisher.CommandExchange, "", mandatory: true,
                    new BasicProperties { ContentType = contentType, Persistent = true, MessageId = Guid.NewGuid().ToString() }, bytes);
                if (isAnswered && !Encoding.UTF8.GetString(bytes).Equals("{}", StringComparison.Ordinal))
                    answered.Add(id);
                else if (!isAnswered)
                    deadLettered++;
            }
        }

        // Every answered one is Invalid; the others wait in the error queue with a reason; nothing in _skipped.
        foreach (var id in answered)
            Assert.Equal(FailureReasons.Invalid, (await outcomes.FailedFor(id, TimeSpan.FromSeconds(60))).Reason);
        await Wait.Until(async () => await broker.ReadyCountAsync("create-member_error") >= deadLettered, TimeSpan.FromSeconds(60),
            $"{deadLettered} messages in create-member_error");
        Assert.Equal(0, await broker.ReadyCountAsync("create-member_skipped"));
        var withoutReason = 0;
        for (var i = 0; i < deadLettered; i++)
        {
            var dead = await channel.BasicGetAsync("create-member_error", autoAck: true);
            Assert.NotNull(dead);
            var headers = dead.BasicProperties.Headers ?? new Dictionary<string, object?>();
            if (!headers.ContainsKey("MT-Reason") && !headers.ContainsKey("MT-Fault-Message"))
                withoutReason++;
        }
        Assert.Equal(0, withoutReason);

        // Still alive and well: a valid command is created, memory stayed bounded, no stack trace for any of it.
        var valid = ProvisioningSystem.NewCommand("after-hostile");
        await channel.BasicPublishAsync(Publisher.CommandExchange, "", mandatory: true,
            new BasicProperties { ContentType = "application/json", Persistent = true }, JsonSerializer.SerializeToUtf8Bytes(valid, JsonSerializerOptions.Web));
        await outcomes.CreatedFor(valid.RequestId, TimeSpan.FromSeconds(30));
        Assert.False(consumer.HasExited);
        Assert.True(consumer.PeakRssMiB < rssBefore + 150, $"peak RSS grew from {rssBefore:F0} to {consumer.PeakRssMiB:F0} MiB");
        Assert.DoesNotContain("   at ", consumer.Output, StringComparison.Ordinal);
        var ledger = await simulator.LedgerAsync();
        Assert.Equal([valid.UserId.ToLowerInvariant()], ledger.Members.Select(m => m.UserId.ToLowerInvariant()));
    }
}
