using Provisioning.WeCom;
using Interval = Provisioning.WeCom.ConcurrencyController.Interval;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class ConcurrencyControllerTests
{
    const double Rate = 165; // 9,900 a minute

    static ConcurrencyController Controller(int min = 4, int max = 256) => new(Rate, min, max);

    static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Theory]
    [InlineData(5, 4)]        // fast WeCom: the minimum
    [InlineData(100, 21)]     // 165/s × 0.1 s × 1.2 + 1
    [InlineData(300, 61)]
    [InlineData(500, 100)]
    [InlineData(1000, 199)]
    [InlineData(3000, 256)]   // beyond the maximum
    public void Evaluate_ServiceTime_LimitIsWhatTheRateNeeds(double serviceMs, int expected)
    {
        var controller = Controller();

        controller.Evaluate(new Interval(controller.Limit, 50, Ms(serviceMs), Saturated: true), TimeSpan.FromSeconds(1));

        Assert.Equal(expected, controller.Limit);
    }

    [Fact]
    public void Evaluate_EnoughSlotsAtTheRateNeed_ReachRateByLittlesLaw()
    {
        foreach (var latency in new[] { 100, 300, 500, 1000 })
        {
            var controller = Controller();
            controller.Evaluate(new Interval(controller.Limit, 50, Ms(latency), true), TimeSpan.FromSeconds(1));
            // Slots ÷ time per command = commands a second: at least the rate.
            Assert.True(controller.Limit / (latency / 1000.0) >= Rate, $"{controller.Limit} slots at {latency} ms");
        }
    }

    [Fact]
    public void NothingCompletedYet_SlowWeCom_GrowsBeforeTheFirstAnswer()
    {
        var controller = Controller();
        var initial = controller.Limit;

        controller.NothingCompletedYet(Ms(750));

        Assert.True(controller.Limit > initial);
        Assert.Equal(controller.Need(Ms(750)), controller.Limit);
        // Never shrinks on this signal.
        controller.NothingCompletedYet(Ms(10));
        Assert.Equal(controller.Need(Ms(750)), controller.Limit);
    }

    [Fact]
    public void Evaluate_MoreInFlightBroughtOnlyLatency_GoesBackAndHolds()
    {
        // The rate is lifted: only the CPU or WeCom's capacity bounds the throughput.
        var controller = new ConcurrencyController(100_000, 4, 256);
        controller.Evaluate(new Interval(16, 800, Ms(20), true), TimeSpan.FromSeconds(1));
        Assert.Equal(256, controller.Limit);

        // At 256 in flight: the same throughput, ten times the latency.
        controller.Evaluate(new Interval(256, 810, Ms(300), true), TimeSpan.FromSeconds(2));

        Assert.Equal(16, controller.Limit);
        Assert.Equal(16, controller.Ceiling);
        // Held for 30 s, then probed a quarter higher.
        controller.Evaluate(new Interval(16, 800, Ms(20), true), TimeSpan.FromSeconds(20));
        Assert.Equal(16, controller.Limit);
        controller.Evaluate(new Interval(16, 800, Ms(20), true), TimeSpan.FromSeconds(33));
        Assert.Equal(20, controller.Limit);
    }

    [Fact]
    public void Evaluate_MoreInFlightBroughtThroughput_KeepsGrowing()
    {
        var controller = Controller();
        controller.Evaluate(new Interval(21, 70, Ms(300), true), TimeSpan.FromSeconds(1));
        Assert.Equal(61, controller.Limit);

        // Latency rose a little with three times the slots, but so did the throughput: no saturation.
        controller.Evaluate(new Interval(61, 160, Ms(330), true), TimeSpan.FromSeconds(2));

        Assert.Null(controller.Ceiling);
        Assert.Equal(controller.Need(Ms(330)), controller.Limit);
    }

    [Fact]
    public void TooManyConcurrentCalls_CutsAQuarterAndSettlesBelowWeComsLimit()
    {
        // WeCom allows 10 concurrent calls; each 45033 costs a quarter; probes wait longer each time.
        var controller = Controller();
        var now = TimeSpan.Zero;
        var breaches = new List<TimeSpan>();
        for (var second = 0; second < 1800; second++)
        {
            now = TimeSpan.FromSeconds(second);
            if (controller.Limit > 10)
            {
                breaches.Add(now);
                controller.TooManyConcurrentCalls(controller.Limit, now);
            }
            controller.Evaluate(new Interval(controller.Limit, controller.Limit / 0.1, Ms(100), true), now);
            Assert.True(controller.Limit >= 4);
        }

        Assert.InRange(controller.Limit, 7, 10);
        // Converges in a few cuts, then a probe at most every few minutes, ever more rarely.
        Assert.True(breaches.Count <= 10, $"{breaches.Count} breaches: {string.Join(", ", breaches)}");
        var gaps = breaches.Zip(breaches.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.TakeLast(2).All(gap => gap >= TimeSpan.FromMinutes(4)), string.Join(", ", gaps));
    }

    [Fact]
    public void TooManyConcurrentCalls_NeverBelowTheMinimum()
    {
        var controller = Controller(min: 6);

        for (var i = 0; i < 10; i++)
            controller.TooManyConcurrentCalls(1, TimeSpan.FromSeconds(i));

        Assert.Equal(6, controller.Limit);
    }

    [Fact]
    public void Evaluate_LatencyFalls_LimitFallsWithIt()
    {
        var controller = Controller();
        controller.Evaluate(new Interval(21, 165, Ms(1000), true), TimeSpan.FromSeconds(1));
        Assert.Equal(199, controller.Limit);

        controller.Evaluate(new Interval(199, 165, Ms(100), true), TimeSpan.FromSeconds(2));

        Assert.Equal(21, controller.Limit);
    }
}
