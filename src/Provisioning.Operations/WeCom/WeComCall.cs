namespace Provisioning.WeCom;

/// <summary>Which kind of call an errcode came from: some codes (40001) mean different things for each.</summary>
public enum WeComCall
{
    /// <summary><c>gettoken</c>.</summary>
    GetToken,

    /// <summary>Any business call made with an access token (<c>user/create</c>, <c>user/get</c>, …).</summary>
    Business,
}
