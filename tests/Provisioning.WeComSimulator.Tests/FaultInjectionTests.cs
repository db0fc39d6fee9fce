using Microsoft.Extensions.Time.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Provisioning.WeComSimulator.Tests;

/// <summary>Each fault mode, set at run time through /admin/faults or /admin/errors.</summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    readonly SimulatorClient _sim = new();

    public Task InitializeAsync() => _sim.InitializeAsync();

    public Task DisposeAsync() => _sim.DisposeAsync();

    static string Unique() => Guid.NewGuid().ToString("N")[..10];

    static string NewMember() => SimulatorClient.Member("f" + Unique(), "139" + Random.Shared.Next(10_000_000, 99_999_999));

    [Fact]
    public async Task BusyRateOne_AnswersMinusOneAndCreatesNothing()
    {
        await _sim.PutFaultsAsync(new { busyRate = 1.0 });

        var answer = await _sim.CreateAsync(NewMember());

        Assert.Equal(-1, SimulatorClient.ErrCode(answer));
        Assert.Empty((await _sim.GetJson("admin/ledger")).GetProperty("members").EnumerateArray());
    }

    [Fact]
    public async Task Http5xxRateOne_Answers502()
    {
        await _sim.PutFaultsAsync(new { http5xxRate = 1.0 });
        var token = await _sim.TokenAsync();

        using var response = await _sim.Http.PostAsync($"cgi-bin/user/create?access_token={token}", new StringContent(NewMember()));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task PerMinuteLimit_BlocksTheRestOfTheMinuteWith45009ThenRecovers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 10, TimeSpan.Zero));
        var sim = new SimulatorClient(time);
        await sim.InitializeAsync();
        try
        {
            await sim.PutFaultsAsync(new { perMinuteLimit = 2 });
            var token = await sim.TokenAsync();

            var codes = new List<int>();
            for (var i = 0; i < 4; i++)
                codes.Add(SimulatorClient.ErrCode(await sim.CreateAsync(token, NewMember())));
            time.Advance(TimeSpan.FromMinutes(1));
            var nextMinute = SimulatorClient.ErrCode(await sim.CreateAsync(token, NewMember()));

            Assert.Equal([0, 0, 45009, 45009], codes);
            Assert.Equal(0, nextMinute);
        }
        finally
        {
            await sim.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConcurrencyLimit_AnswersExtraCallsWith45033()
    {
        await _sim.PutFaultsAsync(new { concurrencyLimit = 1, latencyMs = 1000 });
        var token = await _sim.TokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _sim.CreateAsync(token, NewMember())));

        Assert.Contains(answers, a => SimulatorClient.ErrCode(a) == 45033);
        Assert.Contains(answers, a => SimulatorClient.ErrCode(a) == 0);
    }

    [Fact]
    public async Task Latency_DelaysTheAnswer()
    {
        await _sim.PutFaultsAsync(new { latencyMs = 300 });
        var token = await _sim.TokenAsync();

        var watch = Stopwatch.StartNew();
        await _sim.CreateAsync(token, NewMember());

        Assert.True(watch.ElapsedMilliseconds >= 280, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task SlowSuccess_CreatesTheMemberBeforeTheClientGivesUp()
    {
        await _sim.PutFaultsAsync(new { slowSuccessMs = 3000 });
        var token = await _sim.TokenAsync();
        var body = NewMember();
        using var impatient = new HttpClient { BaseAddress = _sim.Http.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() =>
            impatient.PostAsync($"cgi-bin/user/create?access_token={token}", new StringContent(body)));

        // The server may read the request only after the impatient client gave up (a busy machine): wait for it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var members = 0;
        while ((members = (await _sim.GetJson("admin/ledger")).GetProperty("members").GetArrayLength()) == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(1, members);
    }

    [Fact]
    public async Task Down_AbortsTheConnectionWithoutAnswer()
    {
        await _sim.PutFaultsAsync(new { down = true });
        var token = await _sim.TokenAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            _sim.Http.PostAsync($"cgi-bin/user/create?access_token={token}", new StringContent(NewMember())));
    }

    [Fact]
    public async Task ScriptedErrors_AnswerInTurnThenNormally()
    {
        (await _sim.Http.PostAsJsonAsync("admin/errors", new { errCodes = new[] { -1, 45009, 503 } })).EnsureSuccessStatusCode();
        var token = await _sim.TokenAsync();

        var first = SimulatorClient.ErrCode(await _sim.CreateAsync(token, NewMember()));
        var second = SimulatorClient.ErrCode(await _sim.CreateAsync(token, NewMember()));
        using var third = await _sim.Http.PostAsync($"cgi-bin/user/create?access_token={token}", new StringContent(NewMember()));
        var fourth = SimulatorClient.ErrCode(await _sim.CreateAsync(token, NewMember()));

        Assert.Equal([-1, 45009, 0], new[] { first, second, fourth });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
    }

    [Fact]
    public async Task Faults_ReadBackAsSet()
    {
        await _sim.PutFaultsAsync(new { latencyMs = 5, busyRate = 0.25 });

        var faults = await _sim.GetJson("admin/faults");

        Assert.Equal(5, faults.GetProperty("latencyMs").GetInt32());
        Assert.Equal(0.25, faults.GetProperty("busyRate").GetDouble());
    }
}
