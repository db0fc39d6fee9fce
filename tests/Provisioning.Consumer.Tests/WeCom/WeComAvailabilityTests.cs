using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class WeComAvailabilityTests
{
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    WeComAvailability Create() => new(Options.Create(new WeComLimitsOptions
    {
        ProbeInitialDelay = TimeSpan.FromSeconds(5),
        ProbeMaxDelay = TimeSpan.FromSeconds(20),
        UnreachableAfter = TimeSpan.FromMinutes(2),
    }), _time, NullLogger<WeComAvailability>.Instance);

    /// <summary>Moves fake time on in small steps until the wait completes (its polling delays run on fake time).</summary>
    async Task<bool> CompletesWithin(Task wait, TimeSpan fakeTime)
    {
        for (var elapsed = TimeSpan.Zero; elapsed <= fakeTime; elapsed += TimeSpan.FromMilliseconds(250))
        {
            await Task.Delay(5);
            if (wait.IsCompleted)
                return true;
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }
        await Task.Delay(20);
        return wait.IsCompleted;
    }

    [Fact]
    public async Task Wait_WhileHealthy_ReturnsAtOnce()
    {
        var availability = Create();

        Assert.True(availability.WaitAsync("ww1", default).AsTask().IsCompletedSuccessfully);
        Assert.Empty(availability.Pauses());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Systemic_HoldsCallersUntilTheFirstProbeThenLetsOnlyTheProbeThrough()
    {
        var availability = Create();
        availability.Report("ww1", WeComErrorClass.Configuration, "errcode 40001 invalid credential");

        Assert.True(availability.IsHeld("ww1"));
        await Assert.ThrowsAsync<CorpPausedException>(() => availability.WaitAsync("ww1", default).AsTask());
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(availability.IsHeld("ww1"));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(availability.IsHeld("ww1"));

        Assert.True(availability.WaitAsync("ww1", default).AsTask().IsCompletedSuccessfully);
        var other = availability.WaitAsync("ww1", default).AsTask();
        Assert.False(await CompletesWithin(other, TimeSpan.FromSeconds(30)));
        Assert.False(availability.IsHeld("ww1"));

        availability.Report("ww1", WeComErrorClass.Ok, "ok");
        Assert.True(await CompletesWithin(other, TimeSpan.FromSeconds(2)));
        Assert.Empty(availability.Pauses());
    }

    [Fact]
    public async Task FailedProbe_HoldsWaitersAgain()
    {
        var availability = Create();
        availability.Report("ww1", WeComErrorClass.Configuration, "errcode 40001 invalid credential");
        _time.Advance(TimeSpan.FromSeconds(5));
        await availability.WaitAsync("ww1", default);
        var waiter = availability.WaitAsync("ww1", default).AsTask();

        availability.Report("ww1", WeComErrorClass.Configuration, "errcode 40001 invalid credential");

        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<CorpPausedException>(() => waiter);
        Assert.True(availability.IsHeld("ww1"));
    }

    [Fact]
    public async Task FailedProbe_DoublesTheWaitUpToTheMaximum()
    {
        var availability = Create();
        availability.Report("ww1", WeComErrorClass.Quota, "errcode 45024");

        foreach (var expected in new[] { 5, 10, 20, 20 })
        {
            var since = _time.GetUtcNow();
            while (availability.IsHeld("ww1"))
                _time.Advance(TimeSpan.FromMilliseconds(250));
            Assert.InRange((_time.GetUtcNow() - since).TotalSeconds, expected, expected + 0.5);
            await availability.WaitAsync("ww1", default);
            availability.Report("ww1", WeComErrorClass.Quota, "errcode 45024");
        }
    }

    [Fact]
    public void Pauses_NameTheCauseWithoutAffectingOtherCorps()
    {
        var availability = Create();

        availability.Report("ww1", WeComErrorClass.Configuration, "errcode 60020 not allow to access from your ip");

        var pause = Assert.Single(availability.Pauses());
        Assert.Equal("ww1", pause.CorpId);
        Assert.Contains("60020", pause.Cause, StringComparison.Ordinal);
        Assert.True(availability.WaitAsync("ww2", default).AsTask().IsCompletedSuccessfully);
    }

    [Fact]
    public void Transient_PausesOnlyAfterUnreachableForLong()
    {
        var availability = Create();

        availability.Report("ww1", WeComErrorClass.Transient, "HTTP 502");
        _time.Advance(TimeSpan.FromSeconds(119));
        availability.Report("ww1", WeComErrorClass.Transient, "HTTP 502");
        Assert.Empty(availability.Pauses());
        _time.Advance(TimeSpan.FromSeconds(1));
        availability.Report("ww1", WeComErrorClass.Transient, "HTTP 502");

        Assert.Contains("unreachable", Assert.Single(availability.Pauses()).Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Transient_ThenAnAnswer_ResetsTheUnreachableClock()
    {
        var availability = Create();

        availability.Report("ww1", WeComErrorClass.Transient, "timeout");
        _time.Advance(TimeSpan.FromSeconds(100));
        availability.Report("ww1", WeComErrorClass.Rejected, "errcode 60123");
        _time.Advance(TimeSpan.FromSeconds(100));
        availability.Report("ww1", WeComErrorClass.Transient, "timeout");

        Assert.Empty(availability.Pauses());
    }

    [Fact]
    public void Report_SameCauseWithNewHintIds_IsLoggedOnce()
    {
        var logs = new ListLoggerProvider();
        var availability = new WeComAvailability(Options.Create(new WeComLimitsOptions()), _time, logs.CreateLogger<WeComAvailability>());

        for (var i = 0; i < 5; i++)
        {
            availability.Report("ww1", WeComErrorClass.Configuration,
                $"Configuration: HTTP 200, errcode 40001, invalid credential, hint: [17000000{i}-ab{i}], from ip: 10.0.0.{i}, more info at https://open.work.weixin.qq.com/devtool/query?e=40001");
            _time.Advance(TimeSpan.FromMinutes(1));
        }
        availability.Report("ww1", WeComErrorClass.Configuration, "Configuration: HTTP 200, errcode 60020, not allow to access from your ip, hint: [x]");

        Assert.Single(logs.Lines, line => line.Contains("Consumption for corp ww1 paused", StringComparison.Ordinal));
        Assert.Single(logs.Lines, line => line.Contains("still paused", StringComparison.Ordinal) && line.Contains("60020", StringComparison.Ordinal));
        Assert.Equal(2, logs.Lines.Count);
    }

    [Theory]
    [InlineData("errcode 40001, invalid credential, hint: [1-a], from ip: 1.2.3.4, more info at https://x?e=1", "errcode 40001, invalid credential, hint: [2-b], from ip: 5.6.7.8, more info at https://x?e=2")]
    public void CauseKey_IgnoresHintIpAndLink(string first, string second) =>
        Assert.Equal(WeComAvailability.CauseKey(first), WeComAvailability.CauseKey(second));
}
