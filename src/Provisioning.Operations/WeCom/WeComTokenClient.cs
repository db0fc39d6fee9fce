using Provisioning.WeCom.Models;

namespace Provisioning.WeCom;

/// <summary>
/// <c>GET /cgi-bin/gettoken?corpid=ID&amp;corpsecret=SECRET</c> (WeCom document 91039).
/// Takes the factory rather than a typed client because its owner, the token provider, is a singleton.
/// </summary>
internal sealed class WeComTokenClient(IHttpClientFactory httpClientFactory, ILogger<WeComTokenClient> logger) : IWeComTokenClient
{
    public async Task<WeComResult<GetTokenResponse>> GetTokenAsync(string corpId, string corpSecret, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(WeComHttp.ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"cgi-bin/gettoken?corpid={Uri.EscapeDataString(corpId)}&corpsecret={Uri.EscapeDataString(corpSecret)}");
        return await WeComHttp.SendAsync<GetTokenResponse>(http, request, "gettoken", WeComCall.GetToken, logger, cancellationToken)
            .ConfigureAwait(false);
    }
}
