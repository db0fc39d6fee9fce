using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Lifecycle;

/// <summary>Joiners, movers, leavers and rehires for 200 people, consumed by two consumer processes while WeCom is busy on a share of calls.</summary>
public sealed class TwoReplicaLifecycleTests
{
    [Fact]
    public async Task CreateUpdateDisableEnable_For200People_EachEndsInItsLastCommandWithOneOutcomePerRequest()
    {
        await using var system = await ProvisioningSystem.StartAsync(new() { Consumer = false });
        var database = await system.CreateDatabaseAsync();
        var (simulator, outcomes, publisher) = (system.Simulator, system.Outcomes, system.Publisher);
        // -1 (system busy) on one write call in ten: healed by the in-process retries, sometimes only after parking.
        await simulator.SetFaultsAsync(new FaultSettings { BusyRate = 0.1, LatencyMs = 5, LatencyJitterMs = 20 });
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Idempotency"] = database.ConnectionString,
            ["Consumer__RetryLimit"] = "2",
            ["Retry__Delays__0"] = "1s",
            ["Retry__Delays__1"] = "2s",
            ["Retry__Delays__2"] = "4s",
            ["Lifecycle__MemberWaitDelay"] = "00:00:01",
            // 200 leavers at once: above the deletion guard's default of 50 an hour, which the guard's own test covers.
            ["Lifecycle__DeletionThreshold"] = "1000",
        };
        var first = await system.StartConsumerProcessAsync(settings);
        var second = await system.StartConsumerProcessAsync(settings);

        var people = Enumerable.Range(0, 200).Select(i => (
            Hire: ProvisioningSystem.NewCommand("life"),
            Position: $"岗位{i}")).ToList();
        var requests = new List<Guid>();
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<Guid, string>();
        // Each person's four commands back to back, people interleaved, as a busy HR feed sends them.
        await Task.WhenAll(people.Select(async person =>
        {
            var userId = person.Hire.UserId;
            object[] commands =
            [
                person.Hire,
                new UpdateMember { RequestId = Guid.NewGuid(), UserId = userId, Position = person.Position },
                new DisableMember { RequestId = Guid.NewGuid(), UserId = userId },
                new EnableMember { RequestId = Guid.NewGuid(), UserId = userId },
            ];
            foreach (var command in commands)
            {
                switch (command)
                {
                    case CreateMember c: await publisher.PublishAsync(c); lock (requests) requests.Add(c.RequestId); kinds[c.RequestId] = $"create {userId}"; break;
                    case UpdateMember u: await publisher.PublishAsync(u); lock (requests) requests.Add(u.RequestId); kinds[u.RequestId] = $"update {userId}"; break;
                    case DisableMember d: await publisher.PublishAsync(d); lock (requests) requests.Add(d.RequestId); kinds[d.RequestId] = $"disable {userId}"; break;
                    case EnableMember e: await publisher.PublishAsync(e); lock (requests) requests.Add(e.RequestId); kinds[e.RequestId] = $"enable {userId}"; break;
                }
            }
        }));

        try
        {
            await Wait.For(() => requests.All(r => outcomes.CountFor(r) > 0) ? "" : null, TimeSpan.FromMinutes(3), "800 outcomes");
        }
        catch (TimeoutException)
        {
            var missing = requests.Where(r => outcomes.CountFor(r) == 0).Select(r => kinds[r]).ToList();
            Assert.Fail($"{outcomes.All.Count} outcomes; none for {missing.Count}: {string.Join(", ", missing.Take(20))}\n{first.Output}\n{second.Output}");
        }

        Assert.All(requests, r => Assert.Equal(1, outcomes.CountFor(r)));
        // A command that two replicas took in the opposite order of sending (a disable after the enable sent after it)
        // is Superseded; nothing else fails.
        Assert.DoesNotContain(outcomes.All, e => !e.Succeeded && e.Reason != FailureReasons.Superseded);
        var ledger = await simulator.LedgerAsync();
        Assert.All(people, person =>
        {
            var member = Assert.Single(ledger.Members, m => m.UserId == person.Hire.UserId);
            Assert.Equal(person.Position, member.Body.GetProperty("position").GetString());
            Assert.NotEqual(2, member.Status);
        });
        Assert.False(first.HasExited || second.HasExited);
    }
}
