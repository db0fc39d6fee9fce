using Provisioning.WeCom.Models;

namespace Provisioning.WeCom;

/// <summary>Calls <c>gettoken</c> (WeCom document 91039); only <see cref="AccessTokenProvider"/> uses it.</summary>
public interface IWeComTokenClient
{
    Task<WeComResult<GetTokenResponse>> GetTokenAsync(string corpId, string corpSecret, CancellationToken cancellationToken);
}
