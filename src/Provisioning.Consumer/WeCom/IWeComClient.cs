using Provisioning.Consumer.WeCom.Models;

namespace Provisioning.Consumer.WeCom;

/// <summary>The WeCom business calls we make. Results are classified; only a cancelled call throws.</summary>
public interface IWeComClient
{
    /// <summary>
    /// <c>POST /cgi-bin/user/create</c> (https://developer.work.weixin.qq.com/document/path/90195).
    /// Never retried blindly: a POST that timed out may have created the member.
    /// </summary>
    Task<WeComResult<UserCreateResponse>> CreateUserAsync(string corpId, UserCreateRequest request, CancellationToken cancellationToken);

    /// <summary><c>GET /cgi-bin/user/get?userid=</c> (https://developer.work.weixin.qq.com/document/path/90196).</summary>
    Task<WeComResult<UserGetResponse>> GetUserAsync(string corpId, string userId, CancellationToken cancellationToken);
}
