using Microsoft.Extensions.Time.Testing;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class CorpPaceTests
{
    [Fact]
    public async Task SlowWeCom_LimitGrowsToWhatTheRateNeeds()
    {
        var time = new FakeTimeProvider();
        using var pace = new CorpPace("ww1", new WeComLimitsOptions(), time);
        var initial = pace.Limit;
        // A backlog: more commands than slots, each taking a second.
        var entering = Enumerable.Range(0, 400).Select(_ => pace.EnterAsync(default).AsTask()).ToList();
        Assert.Equal(initial, entering.Count(e => e.IsCompleted));

        // Before any answer, the slots grow with the time the first commands have been in flight.
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(pace.Limit > initial, $"limit {pace.Limit}");

        // One second per command, and nothing waited for the rate limit: Little's law needs 165 × 1 s, with headroom.
        for (var second = 1; second <= 3; second++)
        {
            var running = entering.Where(e => e.IsCompletedSuccessfully).Select(e => e.Result).ToList();
            time.Advance(TimeSpan.FromMilliseconds(1000));
            foreach (var slot in running)
                slot.Dispose();
            entering.RemoveAll(e => e.IsCompletedSuccessfully && running.Contains(e.Result));
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.InRange(pace.Limit, 165, 256);
    }

    [Fact]
    public async Task WaitsForTheRateLimit_AreNotServiceTime()
    {
        var time = new FakeTimeProvider();
        using var pace = new CorpPace("ww1", new WeComLimitsOptions { CallsPerMinute = 600 }, time);
        // 10/s at 100 ms needs 3 slots (the minimum, 4); commands that spend a second in the rate limiter's queue must not
        // count as a slow WeCom.
        for (var round = 0; round < 5; round++)
        {
            var slots = new List<PaceSlot>();
            for (var i = 0; i < 4; i++)
                slots.Add(await pace.EnterAsync(default));
            time.Advance(TimeSpan.FromMilliseconds(1100));
            foreach (var slot in slots)
            {
                slot.AddWaited(TimeSpan.FromMilliseconds(1000));
                slot.Dispose();
            }
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(4, pace.Limit);
    }

    [Fact]
    public async Task FixedConcurrentCalls_NeverAdapts()
    {
        var time = new FakeTimeProvider();
        using var pace = new CorpPace("ww1", new WeComLimitsOptions { ConcurrentCalls = 7 }, time);
        var slots = new List<PaceSlot>();
        for (var i = 0; i < 7; i++)
            slots.Add(await pace.EnterAsync(default));
        var waiting = pace.EnterAsync(default).AsTask();

        time.Advance(TimeSpan.FromSeconds(5));
        pace.TooManyConcurrentCalls();

        Assert.Equal(7, pace.Limit);
        Assert.False(waiting.IsCompleted);
        slots[0].Dispose();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task AsideAsync_WhileACommandWaitsForItsMember_ItsSlotServesAnother()
    {
        using var pace = new CorpPace("ww1", new WeComLimitsOptions { ConcurrentCalls = 1 }, TimeProvider.System);
        var waiting = await pace.EnterAsync(default);
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var aside = waiting.AsideAsync(turn.Task, TimeProvider.System);
        var other = await pace.EnterAsync(default).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        turn.SetResult();

        // Back only once the other gave its slot up: never two in flight beyond the limit.
        Assert.False(aside.IsCompleted);
        other.Dispose();
        await aside.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, pace.InFlight);
        waiting.Dispose();
        Assert.Equal(0, pace.InFlight);
    }
}
