using System.Security.Cryptography;

namespace Provisioning.WeComSimulator;

/// <summary>WeCom-shaped error answers: HTTP 200, errcode, and an errmsg with a hint id as WeCom writes it.</summary>
internal static class WeComErrors
{
    static readonly Dictionary<int, string> Messages = new()
    {
        [-1] = "system busy",
        [40001] = "invalid credential",
        [40003] = "invalid userid",
        [40013] = "invalid corpid",
        [40014] = "invalid access_token",
        [40033] = "invalid charset. please check your request, if include \\uxxxx will create fail!",
        [41001] = "access_token missing",
        [42001] = "access_token expired",
        [45009] = "api freq out of limit",
        [45033] = "api concurrent out of limit",
        [47001] = "data format error",
        [60102] = "userid existed",
        [60104] = "mobile existed",
        [60106] = "email existed",
        [60111] = "userid not found",
        [60112] = "invalid username",
        [60129] = "missing mobile or email",
        [60132] = "is_leader_in_dept size not match department size",
        [40031] = "invalid userid list",
        [40032] = "invalid userid list size",
        [301005] = "not allow to delete creator",
        [301036] = "userid can not be modified",
    };

    public static string Message(int errCode, string? detail = null)
    {
        var text = Messages.GetValueOrDefault(errCode, "error");
        if (detail is not null)
            text += ": " + detail;
        var hint = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        return $"{text}, hint: [{hint}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={errCode}";
    }

    public static IResult Answer(int errCode, string? detail = null) =>
        Results.Json(new Dictionary<string, object> { ["errcode"] = errCode, ["errmsg"] = Message(errCode, detail) });
}
