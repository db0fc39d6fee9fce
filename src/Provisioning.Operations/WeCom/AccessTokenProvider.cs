using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Provisioning.WeCom;

/// <summary>
/// Singleton cache of access tokens per corp id (WeCom document 91039: gettoken is rate-limited and a token lives
/// 7200 s). Refreshes <see cref="WeComOptions.TokenRefreshBefore"/> ahead of expiry; while one caller refreshes,
/// others keep using a token that has not expired yet, or wait for the refresh when there is none.
/// </summary>
internal sealed partial class AccessTokenProvider(
    IWeComTokenClient tokenClient,
    CorpDirectory corps,
    IOptions<WeComOptions> options,
    TimeProvider timeProvider,
    ILogger<AccessTokenProvider> logger) : IAccessTokenProvider
{
    sealed record CachedToken(string Value, DateTimeOffset RefreshAt, DateTimeOffset ExpiresAt);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Lives as long as the singleton; a SemaphoreSlim without its wait handle holds no OS resource.")]
    sealed class CorpTokens
    {
        public readonly SemaphoreSlim Refresh = new(1, 1);
        public CachedToken? Current;
    }

    readonly ConcurrentDictionary<string, CorpTokens> _byCorp = new(StringComparer.Ordinal);

    public async ValueTask<string> GetTokenAsync(string corpId, CancellationToken cancellationToken)
    {
        var tokens = _byCorp.GetOrAdd(corpId, static _ => new CorpTokens());
        var cached = Volatile.Read(ref tokens.Current);
        var now = timeProvider.GetUtcNow();
        if (cached is not null && now < cached.RefreshAt)
            return cached.Value;

        // Due for refresh but still valid: if someone else is refreshing, do not wait for them.
        var entered = tokens.Refresh.Wait(0, CancellationToken.None);
        if (!entered)
        {
            if (cached is not null && now < cached.ExpiresAt)
                return cached.Value;
            await tokens.Refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            cached = Volatile.Read(ref tokens.Current);
            now = timeProvider.GetUtcNow();
            if (cached is not null && now < cached.RefreshAt)
                return cached.Value;

            var result = await tokenClient.GetTokenAsync(corpId, corps.SecretOf(corpId), cancellationToken).ConfigureAwait(false);
            if (!result.IsOk || string.IsNullOrEmpty(result.Response?.AccessToken) || result.Response.ExpiresIn <= 0)
            {
                // A configuration error pauses the enterprise, and the pause logs its cause once (WeComAvailability): here
                // only at debug level, or every probe would log it again.
                if (result.Class == WeComErrorClass.Transient)
                    LogRefreshFailed(logger, corpId, result.ErrCode, result.ErrMsg);
                else
                    LogRefreshRefused(logger, corpId, result.ErrCode, result.ErrMsg);
                // A token that has not expired yet still works while WeCom is only busy.
                if (result.Class == WeComErrorClass.Transient && cached is not null && now < cached.ExpiresAt)
                    return cached.Value;
                throw WeComException.From("gettoken", result.IsOk ? result with { Class = WeComErrorClass.Transient, ErrMsg = "answer without a token" } : result);
            }

            var lifetime = TimeSpan.FromSeconds(result.Response.ExpiresIn);
            var refreshBefore = TimeSpan.FromTicks(Math.Min(options.Value.TokenRefreshBefore.Ticks, lifetime.Ticks / 2));
            var fresh = new CachedToken(result.Response.AccessToken, now + lifetime - refreshBefore, now + lifetime);
            Volatile.Write(ref tokens.Current, fresh);
            LogRefreshed(logger, corpId, result.Response.ExpiresIn);
            return fresh.Value;
        }
        finally
        {
            tokens.Refresh.Release();
        }
    }

    public void Invalidate(string corpId, string failedToken)
    {
        if (!_byCorp.TryGetValue(corpId, out var tokens))
            return;
        var cached = Volatile.Read(ref tokens.Current);
        if (cached is not null && cached.Value == failedToken &&
            Interlocked.CompareExchange(ref tokens.Current, null, cached) == cached)
            LogInvalidated(logger, corpId);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Access token for corp {CorpId} refreshed; it lives {ExpiresIn} s")]
    static partial void LogRefreshed(ILogger logger, string corpId, int expiresIn);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Access token for corp {CorpId} could not be refreshed: errcode {ErrCode}, {ErrMsg}")]
    static partial void LogRefreshFailed(ILogger logger, string corpId, int? errCode, string? errMsg);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Access token for corp {CorpId} refused: errcode {ErrCode}, {ErrMsg}")]
    static partial void LogRefreshRefused(ILogger logger, string corpId, int? errCode, string? errMsg);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Access token for corp {CorpId} was rejected by WeCom and is discarded")]
    static partial void LogInvalidated(ILogger logger, string corpId);
}
