using System.Diagnostics;
using Provisioning.Rules;
using Provisioning.WeCom.Models;

namespace Provisioning.WeCom;

/// <summary>
/// Typed client for WeCom's business calls. The token goes in the <c>access_token</c> query parameter (a header gets
/// 41001). A token WeCom rejects (40014, 42001, 40001) is invalidated and the call made once more with a fresh one:
/// a rejected token means nothing was done, so even <c>user/create</c> is safe to repeat then. Every call first waits
/// for the enterprise to be usable (<see cref="WeComAvailability"/>) and for its pace (<see cref="WeComThrottle"/>).
/// </summary>
internal sealed class WeComClient(
    HttpClient http,
    IAccessTokenProvider tokens,
    WeComThrottle throttle,
    WeComAvailability availability,
    ILogger<WeComClient> logger) : IWeComClient
{
    public Task<WeComResult<UserCreateResponse>> CreateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken)
    {
        var body = WeComJson.Serialize(request);
        return CallAsync<UserCreateResponse>(corpId, "user/create", token => new HttpRequestMessage(HttpMethod.Post, $"cgi-bin/user/create?access_token={token}")
        {
            Content = WeComHttp.JsonContent(body),
        }, cancellationToken);
    }

    public Task<WeComResult<WeComResponse>> UpdateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken)
    {
        var body = WeComJson.Serialize(request);
        return CallAsync<WeComResponse>(corpId, "user/update", token => new HttpRequestMessage(HttpMethod.Post, $"cgi-bin/user/update?access_token={token}")
        {
            Content = WeComHttp.JsonContent(body),
        }, cancellationToken);
    }

    public Task<WeComResult<WeComResponse>> DeleteUserAsync(string corpId, string userId, CancellationToken cancellationToken) =>
        CallAsync<WeComResponse>(corpId, "user/delete", token => new HttpRequestMessage(HttpMethod.Get,
            $"cgi-bin/user/delete?access_token={token}&userid={Uri.EscapeDataString(userId)}"), cancellationToken);

    public Task<WeComResult<UserGetResponse>> GetUserAsync(string corpId, string userId, CancellationToken cancellationToken) =>
        CallAsync<UserGetResponse>(corpId, "user/get", token => new HttpRequestMessage(HttpMethod.Get,
            $"cgi-bin/user/get?access_token={token}&userid={Uri.EscapeDataString(userId)}"), cancellationToken);

    async Task<WeComResult<T>> CallAsync<T>(string corpId, string api, Func<string, HttpRequestMessage> createRequest, CancellationToken cancellationToken)
        where T : WeComResponse
    {
        for (var attempt = 1; ; attempt++)
        {
            // While the enterprise is paused (a systemic failure), wait here: the command stays queued, unfailed.
            var waitStarted = Stopwatch.GetTimestamp();
            await availability.WaitAsync(corpId, cancellationToken).ConfigureAwait(false);
            string token;
            try
            {
                token = await tokens.GetTokenAsync(corpId, cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException ex)
            {
                availability.Report(corpId, ex.ErrorClass, ex.Message);
                return new WeComResult<T> { Class = ex.ErrorClass, ErrCode = ex.ErrCode, ErrMsg = ex.Message };
            }

            await throttle.AcquireAsync(corpId, cancellationToken).ConfigureAwait(false);
            // Waiting for a probe, a token or the rate limit is not WeCom's latency: the adaptive concurrency leaves it out.
            PaceSlot.Current?.AddWaited(Stopwatch.GetElapsedTime(waitStarted));
            WeComResult<T> result;
            using (var request = createRequest(Uri.EscapeDataString(token)))
                result = await WeComHttp.SendAsync<T>(http, request, api, WeComCall.Business, logger, cancellationToken).ConfigureAwait(false);

            if (result.Class == WeComErrorClass.TokenInvalid && attempt == 1)
            {
                tokens.Invalidate(corpId, token);
                continue;
            }
            throttle.BackOff(corpId, WeComErrorClassifier.RateLimitOf(result.ErrCode));
            availability.Report(corpId, result.Class, result.Describe());
            return result;
        }
    }
}
