using Provisioning.Consumer.WeCom.Models;

namespace Provisioning.Consumer.WeCom;

/// <summary>
/// Typed client for WeCom's business calls. The token goes in the <c>access_token</c> query parameter (a header gets
/// 41001). A token WeCom rejects (40014, 42001, 40001) is invalidated and the call made once more with a fresh one:
/// a rejected token means nothing was done, so even <c>user/create</c> is safe to repeat then.
/// </summary>
internal sealed class WeComClient(HttpClient http, IAccessTokenProvider tokens, ILogger<WeComClient> logger) : IWeComClient
{
    public Task<WeComResult<UserCreateResponse>> CreateUserAsync(string corpId, UserCreateRequest request, CancellationToken cancellationToken)
    {
        var body = UserCreateRequestMapper.Serialize(request);
        return CallAsync<UserCreateResponse>(corpId, "user/create", token => new HttpRequestMessage(HttpMethod.Post, $"cgi-bin/user/create?access_token={token}")
        {
            Content = WeComHttp.JsonContent(body),
        }, cancellationToken);
    }

    public Task<WeComResult<UserGetResponse>> GetUserAsync(string corpId, string userId, CancellationToken cancellationToken) =>
        CallAsync<UserGetResponse>(corpId, "user/get", token => new HttpRequestMessage(HttpMethod.Get,
            $"cgi-bin/user/get?access_token={token}&userid={Uri.EscapeDataString(userId)}"), cancellationToken);

    async Task<WeComResult<T>> CallAsync<T>(string corpId, string api, Func<string, HttpRequestMessage> createRequest, CancellationToken cancellationToken)
        where T : WeComResponse
    {
        for (var attempt = 1; ; attempt++)
        {
            string token;
            try
            {
                token = await tokens.GetTokenAsync(corpId, cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException ex)
            {
                return new WeComResult<T> { Class = ex.ErrorClass, ErrCode = ex.ErrCode, ErrMsg = ex.Message };
            }

            using var request = createRequest(Uri.EscapeDataString(token));
            var result = await WeComHttp.SendAsync<T>(http, request, api, WeComCall.Business, logger, cancellationToken).ConfigureAwait(false);
            if (result.Class != WeComErrorClass.TokenInvalid || attempt > 1)
                return result;
            tokens.Invalidate(corpId, token);
        }
    }
}
