using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Consumer.WeCom;

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
    public async Task Systemic_PausesUntilFirstProbeThenLetsOnlyTheProbeThrough()
    {
        var availability = Create();
        availability.Report("ww1", WeComErrorClass.Configuration, "errcode 40001 invalid credential");

        var probe = availability.WaitAsync("ww1", default).AsTask();
        Assert.False(await CompletesWithin(probe, TimeSpan.FromSeconds(4.5)));
        Assert.True(await CompletesWithin(probe, TimeSpan.FromSeconds(1)));
        var other = availability.WaitAsync("ww1", default).AsTask();
        Assert.False(await CompletesWithin(other, TimeSpan.FromSeconds(30)));

        availability.Report("ww1", WeComErrorClass.Ok, "ok");
        Assert.True(await CompletesWithin(other, TimeSpan.FromSeconds(2)));
        Assert.Empty(availability.Pauses());
    }

    [Fact]
    public async Task FailedProbe_DoublesTheWaitUpToTheMaximum()
    {
        var availability = Create();
        availability.Report("ww1", WeComErrorClass.Quota, "errcode 45024");

        foreach (var expected in new[] { 5, 10, 20, 20 })
        {
            var since = _time.GetUtcNow();
            var probe = availability.WaitAsync("ww1", default).AsTask();
            Assert.True(await CompletesWithin(probe, TimeSpan.FromSeconds(expected + 1)));
            Assert.InRange((_time.GetUtcNow() - since).TotalSeconds, expected, expected + 0.5);
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
}
