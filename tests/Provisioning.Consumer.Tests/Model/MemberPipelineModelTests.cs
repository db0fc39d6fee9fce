using CsCheck;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Operations;
using Provisioning.Consumer.Tests.Pipeline;
using Provisioning.Contracts;
using Xunit.Abstractions;
using Provisioning.Consumer.Pipeline;
using Provisioning.Consumer.Transport;

namespace Provisioning.Consumer.Tests.Model;

/// <summary>
/// Model-based: random interleavings of a few people's hire, moves, disables and enables (with versions out of publish
/// order, or by send time; some published twice), run through the real pipeline against a WeCom that keeps state. Each
/// run ends with WeCom holding, per person and aspect, what the newest command that sets it says; exactly one outcome
/// per request (duplicates get replays); only Superseded among failures; and WeCom calls bounded by the commands (at most
/// one "not there yet" look per command, no polling). Seed and size: MODEL_SEED, MODEL_ITERATIONS (scripts/test.sh fixes them).
/// </summary>
public sealed class MemberPipelineModelTests(ITestOutputHelper output)
{
    static readonly string? Seed = Environment.GetEnvironmentVariable("MODEL_SEED") is { Length: > 0 } seed ? seed : null;
    static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("MODEL_ITERATIONS"), out var n) ? n : 10;

    [Fact]
    public async Task RandomInterleavings_EndAsTheNewestCommandPerAspectSays()
    {
        await MemberScenario.Generator.SampleAsync(RunAsync, writeLine: output.WriteLine, seed: Seed, iter: Iterations, threads: 1,
            print: scenario => scenario.ToString());
    }

    static async Task RunAsync(MemberScenario scenario)
    {
        // The store's files (database, -wal, -shm) in a folder of their own, removed once the pipeline has let go of them.
        var directory = Directory.CreateTempSubdirectory("model-");
        try
        {
            await RunAsync(scenario, Path.Combine(directory.FullName, "ledger.db"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    static async Task RunAsync(MemberScenario scenario, string database)
    {
        var wecom = new ModelWeCom();
        var lifecycle = new LifecycleOptions { DeletionThreshold = 0, NotFoundGrace = TimeSpan.FromMinutes(1), MemberWaitInProcess = TimeSpan.FromSeconds(30) };
        // The member-wait queue needs the broker: here nothing may need it (nothing is parked, waits end in process).
        await using var provider = PipelineHarness.Build(new FakeWeComClient(), database, lifecycle, bus =>
        {
            Lane<CreateMember>(bus);
            Lane<UpdateMember>(bus);
            Lane<DisableMember>(bus);
            Lane<EnableMember>(bus);
        }, wecom);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            foreach (var (person, command) in scenario.Order)
                await harness.Bus.Publish(scenario.People[person].Commands[command]);

            var outcomes = await OutcomesAsync(harness, scenario.Order.Count);
            var requests = scenario.People.SelectMany(p => p.Commands).Select(RequestOf).ToHashSet();
            Assert.True(outcomes.Count == scenario.Order.Count, $"{outcomes.Count} outcomes for {scenario.Order.Count} deliveries");
            foreach (var request in requests)
                Assert.True(outcomes.Count(o => o.RequestId == request && !o.Replay) == 1, $"request {request}: {outcomes.Count(o => o.RequestId == request && !o.Replay)} first outcomes");
            Assert.All(outcomes.Where(o => o.Failure is not null), o => Assert.True(o.Failure!.Reason == FailureReasons.Superseded, $"{o.Failure!.Reason}: {o.Failure.ErrMsg}"));

            foreach (var person in scenario.People)
            {
                var member = wecom.Find(person.UserId);
                Assert.True(member is not null, $"{person.UserId} was never created");
                Assert.Equal(person.Expected(), (member!.Enabled, member.Position!));
            }
            // One call per command applied, and at most one more for a command that found its member not there yet.
            Assert.True(wecom.Calls <= 2 * requests.Count, $"{wecom.Calls} WeCom calls for {requests.Count} requests");
        }
        finally
        {
            await harness.Stop();
        }
    }

    static void Lane<TCommand>(IBusRegistrationConfigurator bus)
        where TCommand : class, IProvisioningCommand =>
        // As many in flight as there are commands: a command that waits for its member holds its slot.
        bus.AddConsumer<CommandConsumer<TCommand>, CommandConsumerDefinition<TCommand>>().Endpoint(endpoint => endpoint.ConcurrentMessageLimit = 64);

    sealed record Seen(Guid RequestId, bool Replay, MemberCommandFailed? Failure);

    static async Task<List<Seen>> OutcomesAsync(ITestHarness harness, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            // Yields what was published, then waits for more until the harness has been idle for its inactivity time-out.
            var seen = harness.Published.Select(m => m.MessageObject is MemberCommandSucceeded or MemberCommandFailed).Take(expected + 1)
                .Select(m => new Seen(m.MessageObject switch { MemberCommandSucceeded s => s.RequestId, MemberCommandFailed f => f.RequestId, _ => Guid.Empty },
                    m.Context.Headers.TryGetHeader(ProvisioningHeaders.Replay, out var replay) && replay is true or "True" or "true",
                    m.MessageObject as MemberCommandFailed))
                .ToList();
            if (seen.Count >= expected || DateTime.UtcNow > deadline)
                return seen;
            await Task.Yield();
        }
    }

    static Guid RequestOf(object command) => command switch
    {
        CreateMember c => c.RequestId,
        UpdateMember u => u.RequestId,
        DisableMember d => d.RequestId,
        EnableMember e => e.RequestId,
        _ => throw new InvalidOperationException(),
    };
}
