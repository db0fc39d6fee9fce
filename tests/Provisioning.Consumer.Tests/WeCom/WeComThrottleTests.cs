using Microsoft.Extensions.Options;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class WeComThrottleTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(120)]
    [InlineData(599)]
    [InlineData(1000)]
    [InlineData(6000)]
    [InlineData(10000)]
    [InlineData(150000)]
    public void RateOptions_AnyWindow_NeverAllowsMoreThanTheLimit(int limit)
    {
        var window = TimeSpan.FromMinutes(1);

        var options = WeComThrottle.RateOptions(limit, window);

        // Worst case: a full bucket at the window's start plus every refill that falls inside it.
        var refills = (int)Math.Ceiling(window / options.ReplenishmentPeriod);
        var worst = options.TokenLimit + refills * options.TokensPerPeriod;
        Assert.True(worst <= limit, $"{worst} calls could fall in one window for a limit of {limit}");
        // And little of the budget is left unused: at most two refills' worth.
        Assert.True(worst >= limit - 2 * options.TokensPerPeriod, $"only {worst} of {limit} calls per window would be used");
    }

    [Fact]
    public async Task Acquire_AfterRateLimitAnswer_WaitsForThePause()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var throttle = new WeComThrottle(Options.Create(new WeComLimitsOptions { RateLimitedPause = TimeSpan.FromSeconds(60) }), time);
        await throttle.AcquireAsync("ww1", default);

        throttle.BackOff("ww1", WeComErrorClassifier.RateLimitOf(45009));
        var waiting = throttle.AcquireAsync("ww1", default).AsTask();
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Acquire_OtherCorpDuringPause_IsNotHeld()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var throttle = new WeComThrottle(Options.Create(new WeComLimitsOptions()), time);

        throttle.BackOff("ww1", WeComErrorClassifier.RateLimitOf(45009));

        await throttle.AcquireAsync("ww2", default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Pace_FixedConcurrentCalls_ThirdCommandWaitsForASlot()
    {
        using var throttle = new WeComThrottle(Options.Create(new WeComLimitsOptions { ConcurrentCalls = 2 }), TimeProvider.System);
        var pace = throttle.Pace("ww1");
        var first = await pace.EnterAsync(default);
        var second = await pace.EnterAsync(default);

        var third = pace.EnterAsync(default).AsTask();
        Assert.False(third.IsCompleted);
        first.Dispose();

        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        second.Dispose();
        Assert.Equal(0, pace.InFlight);
    }

    [Fact]
    public void BackOff_45033_LowersTheCorpsConcurrencyOnly()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var throttle = new WeComThrottle(Options.Create(new WeComLimitsOptions()), time);
        var before = throttle.Pace("ww1").Limit;
        var other = throttle.Pace("ww2").Limit;

        throttle.BackOff("ww1", WeComErrorClassifier.RateLimitOf(45033));

        Assert.True(throttle.Pace("ww1").Limit < before, $"limit {throttle.Pace("ww1").Limit}, was {before}");
        Assert.Equal(other, throttle.Pace("ww2").Limit);
    }
}
