using Provisioning.Rules;
using Provisioning.WeCom.Models;

namespace Provisioning.WeCom;

/// <summary>The WeCom business calls we make. Results are classified; only a cancelled call throws.</summary>
public interface IWeComClient
{
    /// <summary>
    /// <c>POST /cgi-bin/user/create</c> (https://developer.work.weixin.qq.com/document/path/90195).
    /// Never retried blindly: a POST that timed out may have created the member.
    /// </summary>
    Task<WeComResult<UserCreateResponse>> CreateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /cgi-bin/user/update</c> (https://developer.work.weixin.qq.com/document/path/90197): only the fields sent
    /// change. Setting the same fields twice leaves the same member, so a retry after a timeout is safe.
    /// </summary>
    Task<WeComResult<WeComResponse>> UpdateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// <c>GET /cgi-bin/user/delete?userid=</c> (https://developer.work.weixin.qq.com/document/path/90198). Irreversible;
    /// a retry after a timeout answers 60111 (gone), which the caller treats as done.
    /// </summary>
    Task<WeComResult<WeComResponse>> DeleteUserAsync(string corpId, string userId, CancellationToken cancellationToken);

    /// <summary><c>GET /cgi-bin/user/get?userid=</c> (https://developer.work.weixin.qq.com/document/path/90196).</summary>
    Task<WeComResult<UserGetResponse>> GetUserAsync(string corpId, string userId, CancellationToken cancellationToken);
}
