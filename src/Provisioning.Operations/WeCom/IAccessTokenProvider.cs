namespace Provisioning.WeCom;

/// <summary>Access tokens per enterprise: cached, refreshed early, one refresh at a time.</summary>
public interface IAccessTokenProvider
{
    /// <summary>A token for the enterprise. Throws <see cref="WeComException"/> when gettoken fails.</summary>
    ValueTask<string> GetTokenAsync(string corpId, CancellationToken cancellationToken);

    /// <summary>Forgets <paramref name="failedToken"/> if it is still the cached one (not one a concurrent caller has just fetched).</summary>
    void Invalidate(string corpId, string failedToken);
}
