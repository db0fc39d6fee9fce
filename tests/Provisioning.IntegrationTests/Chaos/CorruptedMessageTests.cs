using System.Text;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Provisioning.IntegrationTests.Chaos;

/// <summary>
/// Valid commands of every type, enveloped and plain JSON, corrupted in seeded random ways (bits flipped, bytes inserted
/// and deleted, truncated, characters swapped or replaced by JSON punctuation): every delivery ends answered or in an
/// error queue with its reason, none in _skipped, none lost; the consumer stays up and logs no stack trace for them.
/// </summary>
[Collection(nameof(ChaosTests))]
public sealed class CorruptedMessageTests(ITestOutputHelper output)
{
    // PROVISIONING_FUZZ_VARIANTS raises it for a longer hunt.
    static readonly int Variants = int.TryParse(Environment.GetEnvironmentVariable("PROVISIONING_FUZZ_VARIANTS"), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 300;

    static readonly byte[] Punctuation = [.. "\"{}[],:\\0-"u8];

    static readonly Type[] Commands = [.. CommandQueueNames.Defaults.Keys];

    [Fact]
    public async Task CorruptedCommands_EveryOneAnsweredOrDeadLetteredWithItsReason_NoneLost_NoStackTrace()
    {
        var seed = Environment.GetEnvironmentVariable("PROVISIONING_FUZZ_SEED") is { Length: > 0 } fixedSeed ? int.Parse(fixedSeed, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (PROVISIONING_FUZZ_SEED={seed} repeats this run)");
        var random = new Random(seed);
        // The consumer's databases (idempotency, provisioning log, keys) go with the system, after the consumer has stopped.
        await using var system = await ProvisioningSystem.StartAsync(new() { VirtualHostPrefix = "corrupted", Consumer = false });
        var (broker, outcomes, channel) = (system.Broker, system.Outcomes, system.Publisher.Channel);
        var consumer = await system.StartConsumerProcessAsync(new()
        {
            ["Logging__LogLevel__Default"] = "Information",
            // Neither held for an operator nor retried for a minute: every command ends at once.
            ["Lifecycle__DeletionThreshold"] = "0",
            ["Lifecycle__NotFoundGrace"] = "00:00:00",
        });

        var kinds = new List<string>();
        for (var i = 0; i < Variants; i++)
        {
            var command = Commands[random.Next(Commands.Length)];
            var enveloped = random.Next(2) == 0;
            var (body, mutations) = Corrupt(Encoding.UTF8.GetBytes(Valid(command, enveloped, broker, random)), random);
            kinds.Add($"{command.Name} {(enveloped ? "envelope" : "plain")}: {mutations}");
            await channel.BasicPublishAsync(CommandQueueNames.Exchange(command), "", mandatory: true,
                new BasicProperties { ContentType = enveloped ? "application/vnd.masstransit+json" : "application/json", Persistent = true }, body);
        }

        async Task<(long Answered, long DeadLettered, long Skipped)> CountAsync()
        {
            long dead = 0, skipped = 0;
            foreach (var queue in CommandQueueNames.Defaults.Values)
            {
                dead += await broker.ReadyCountAsync(queue + "_error");
                skipped += await broker.ReadyCountAsync(queue + "_skipped");
            }
            return (outcomes.All.Count, dead, skipped);
        }

        var counts = (Answered: 0L, DeadLettered: 0L, Skipped: 0L);
        try
        {
            await Wait.Until(async () =>
            {
                counts = await CountAsync();
                return counts.Answered + counts.DeadLettered + counts.Skipped >= Variants;
            }, TimeSpan.FromSeconds(120), $"{Variants} messages answered or dead-lettered");
        }
        catch (TimeoutException)
        {
        }
        var summary = $"seed {seed}: {Variants} published, {counts.Answered} answered, {counts.DeadLettered} in error queues, {counts.Skipped} in _skipped; " +
            $"queues holding messages: {await broker.QueueSummaryAsync()}";
        output.WriteLine(summary);
        Assert.True(counts.Skipped == 0 && counts.Answered + counts.DeadLettered == Variants,
            $"{summary}\nconsumer log (tail):\n{Tail(consumer.Output)}");

        var withoutReason = 0;
        foreach (var queue in CommandQueueNames.Defaults.Values)
        {
            while (await channel.BasicGetAsync(queue + "_error", autoAck: true) is { } dead)
            {
                var headers = dead.BasicProperties.Headers ?? new Dictionary<string, object?>();
                if (!headers.ContainsKey("MT-Reason") && !headers.ContainsKey("MT-Fault-Message"))
                    withoutReason++;
            }
        }
        Assert.Equal(0, withoutReason);
        Assert.False(consumer.HasExited, "the consumer exited");
        var lines = consumer.Output.Split('\n');
        var traced = lines.Select((line, index) => (line, index)).Where(l => l.line.StartsWith("   at ", StringComparison.Ordinal)).Select(l => l.index).ToList();
        Assert.True(traced.Count == 0, $"seed {seed}: {traced.Count} stack-trace lines in the consumer's log, e.g.:\n" +
            string.Join("\n---\n", traced.Select(i => lines[..i].Last(l => !l.StartsWith("   at ", StringComparison.Ordinal))).Distinct().Take(10)));
    }

    static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));

    /// <summary>A valid command of the type, as MassTransit's envelope (with every address a publisher may set) or plain JSON.</summary>
    static string Valid(Type command, bool enveloped, TestBroker broker, Random random)
    {
        var requestId = new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]);
        var userId = $"fz-{random.Next(1_000_000):D6}";
        var fields = command == typeof(CreateMember) || command == typeof(SyncMember)
            ? $$""","name":"模糊测试","mobile":"139{{random.Next(10_000_000, 99_999_999)}}","departments":[{"id":1}]"""
            : command == typeof(UpdateMember) ? ""","position":"测试" """.TrimEnd() : "";
        var message = $$"""{"requestId":"{{requestId}}","userId":"{{userId}}"{{fields}}}""";
        if (!enveloped)
            return message;
        var host = $"rabbitmq://{broker.Node.Host}/{broker.VirtualHost}";
        return $$$"""
            {"messageId":"{{{Guid.NewGuid()}}}","requestId":"{{{Guid.NewGuid()}}}","conversationId":"{{{Guid.NewGuid()}}}",
             "sourceAddress":"{{{host}}}/publisher_bus","destinationAddress":"{{{host}}}/Provisioning.Contracts:{{{command.Name}}}",
             "responseAddress":"{{{host}}}/publisher_bus","faultAddress":"{{{host}}}/publisher_bus",
             "messageType":["urn:message:Provisioning.Contracts:{{{command.Name}}}"],"message":{{{message}}},
             "sentTime":"{{{DateTime.UtcNow:O}}}","headers":{"Source":"fuzz"},"host":{"machineName":"fuzz","processName":"fuzz"}}
            """;
    }

    /// <summary>One to three random corruptions; returns the bytes and what was done, for the failure message.</summary>
    static (byte[] Body, string Mutations) Corrupt(byte[] body, Random random)
    {
        var bytes = body.ToList();
        var done = new List<string>();
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 1; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    done.Add($"flip@{at}");
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    done.Add($"insert@{at}");
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    done.Add($"delete@{at}");
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    done.Add($"truncate@{at}");
                    break;
                case 4 when at + 1 < bytes.Count:
                    (bytes[at], bytes[at + 1]) = (bytes[at + 1], bytes[at]);
                    done.Add($"swap@{at}");
                    break;
                default:
                    bytes[at] = Punctuation[random.Next(Punctuation.Length)];
                    done.Add($"punctuation@{at}");
                    break;
            }
        }
        return ([.. bytes], string.Join(' ', done));
    }
}
