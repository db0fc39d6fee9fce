using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class AccessTokenProviderTests
{
    const string Corp = "ww-test";
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    readonly FakeTokenClient _client = new();

    AccessTokenProvider CreateProvider(TimeSpan? refreshBefore = null)
    {
        var options = Options.Create(new WeComOptions
        {
            CorpId = Corp,
            CorpSecret = "secret",
            Corps = { ["ww-other"] = new CorpCredentials { CorpSecret = "other-secret" } },
            TokenRefreshBefore = refreshBefore ?? TimeSpan.FromMinutes(10),
        });
        return new AccessTokenProvider(_client, new CorpDirectory(options), options, _time, NullLogger<AccessTokenProvider>.Instance);
    }

    [Fact]
    public async Task GetToken_Twice_CallsGetTokenOnce()
    {
        var provider = CreateProvider();

        var first = await provider.GetTokenAsync(Corp, default);
        var second = await provider.GetTokenAsync(Corp, default);

        Assert.Equal("token-1", first);
        Assert.Equal("token-1", second);
        Assert.Equal(1, _client.Calls);
    }

    [Fact]
    public async Task GetToken_PerCorp_KeepsSeparateTokens()
    {
        var provider = CreateProvider();

        var first = await provider.GetTokenAsync(Corp, default);
        var other = await provider.GetTokenAsync("ww-other", default);

        Assert.NotEqual(first, other);
        Assert.Equal(2, _client.Calls);
    }

    [Fact]
    public async Task GetToken_JustBeforeRefreshPoint_KeepsCachedToken()
    {
        var provider = CreateProvider();
        await provider.GetTokenAsync(Corp, default);

        _time.Advance(TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        Assert.Equal("token-1", await provider.GetTokenAsync(Corp, default));
        Assert.Equal(1, _client.Calls);
    }

    [Fact]
    public async Task GetToken_AtRefreshPoint_RefreshesEarly()
    {
        var provider = CreateProvider();
        await provider.GetTokenAsync(Corp, default);

        _time.Advance(TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(10));

        Assert.Equal("token-2", await provider.GetTokenAsync(Corp, default));
    }

    [Fact]
    public async Task GetToken_AfterExpiry_Refreshes()
    {
        var provider = CreateProvider();
        await provider.GetTokenAsync(Corp, default);

        _time.Advance(TimeSpan.FromHours(3));

        Assert.Equal("token-2", await provider.GetTokenAsync(Corp, default));
    }

    [Fact]
    public async Task GetToken_ShortLifetime_RefreshesAtHalfOfIt()
    {
        _client.Answer = n => Task.FromResult(FakeTokenClient.Ok($"token-{n}", 600));
        var provider = CreateProvider();
        await provider.GetTokenAsync(Corp, default);

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal("token-1", await provider.GetTokenAsync(Corp, default));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", await provider.GetTokenAsync(Corp, default));
    }

    [Fact]
    public async Task GetToken_ManyConcurrentCallers_CallGetTokenOnce()
    {
        var release = new TaskCompletionSource<Microsoft.Extensions.Logging.LogLevel>(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.Answer = async n =>
        {
            await release.Task;
            return FakeTokenClient.Ok($"token-{n}", 7200);
        };
        var provider = CreateProvider();

        var callers = Enumerable.Range(0, 50).Select(_ => Task.Run(() => provider.GetTokenAsync(Corp, default).AsTask())).ToList();
        await WaitUntil(() => _client.Calls >= 1);
        release.SetResult(default);
        var tokens = await Task.WhenAll(callers);

        Assert.All(tokens, token => Assert.Equal("token-1", token));
        Assert.Equal(1, _client.Calls);
    }

    [Fact]
    public async Task GetToken_DueForRefreshWhileAnotherRefreshes_ServesStillValidToken()
    {
        var provider = CreateProvider();
        await provider.GetTokenAsync(Corp, default);
        _time.Advance(TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(5));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.Answer = async n =>
        {
            await release.Task;
            return FakeTokenClient.Ok($"token-{n}", 7200);
        };

        var refreshing = provider.GetTokenAsync(Corp, default).AsTask();
        await WaitUntil(() => _client.Calls >= 2);
        var meanwhile = await provider.GetTokenAsync(Corp, default);
        release.SetResult();

        Assert.Equal("token-1", meanwhile);
        Assert.Equal("token-2", await refreshing);
    }

    [Fact]
    public async Task Invalidate_TheCachedToken_NextCallRefreshes()
    {
        var provider = CreateProvider();
        var token = await provider.GetTokenAsync(Corp, default);

        provider.Invalidate(Corp, token);

        Assert.Equal("token-2", await provider.GetTokenAsync(Corp, default));
    }

    [Fact]
    public async Task Invalidate_AnOlderToken_KeepsTheNewerOne()
    {
        var provider = CreateProvider();
        var old = await provider.GetTokenAsync(Corp, default);
        provider.Invalidate(Corp, old);
        var fresh = await provider.GetTokenAsync(Corp, default);

        // A concurrent caller that failed with the old token must not discard the one just fetched.
        provider.Invalidate(Corp, old);

        Assert.Equal(fresh, await provider.GetTokenAsync(Corp, default));
        Assert.Equal(2, _client.Calls);
    }

    [Fact]
    public async Task GetToken_WrongSecret_ThrowsSystemicWithErrCode()
    {
        _client.Answer = _ => Task.FromResult(FakeTokenClient.Error(WeComErrorClass.Configuration, 40001));
        var provider = CreateProvider();

        var error = await Assert.ThrowsAsync<WeComSystemicException>(() => provider.GetTokenAsync(Corp, default).AsTask());

        Assert.Equal(40001, error.ErrCode);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_BusyWhileTokenStillValid_ServesCachedToken()
    {
        var provider = CreateProvider();
        await provider.GetTokenAsync(Corp, default);
        _time.Advance(TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(5));
        _client.Answer = _ => Task.FromResult(FakeTokenClient.Error(WeComErrorClass.Transient, -1));

        Assert.Equal("token-1", await provider.GetTokenAsync(Corp, default));
    }

    [Fact]
    public async Task GetToken_BusyWithoutToken_ThrowsTransient()
    {
        _client.Answer = _ => Task.FromResult(FakeTokenClient.Error(WeComErrorClass.Transient, -1));
        var provider = CreateProvider();

        await Assert.ThrowsAsync<WeComTransientException>(() => provider.GetTokenAsync(Corp, default).AsTask());
    }

    static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
            await Task.Delay(5, timeout.Token);
    }
}
