using System.ComponentModel.DataAnnotations;

namespace Provisioning.WeCom;

/// <summary>Section <c>WeCom</c>: where WeCom is and which enterprises we may create members in.</summary>
public sealed class WeComOptions
{
    public const string SectionName = "WeCom";

    /// <summary>The WeCom API's base address.</summary>
    /// <value>The default is https://qyapi.weixin.qq.com.</value>
    [Required(ErrorMessage = "WeCom:BaseUrl is required (environment variable WeCom__BaseUrl).")]
    public Uri BaseUrl { get; set; } = new("https://qyapi.weixin.qq.com");

    /// <summary>The default enterprise's corp id (我的企业 → 企业ID), used when a command names no corp id.</summary>
    [Required(ErrorMessage = "WeCom:CorpId is required (environment variable WeCom__CorpId).")]
    public string CorpId { get; set; } = "";

    /// <summary>
    /// The default enterprise's contact-sync (通讯录同步) secret: only that secret may create members (48002 otherwise).
    /// Give it through the environment or a secret store, never in appsettings.json.
    /// </summary>
    [Required(ErrorMessage = "WeCom:CorpSecret is required (environment variable WeCom__CorpSecret): the contact-sync secret.")]
    public string CorpSecret { get; set; } = "";

    /// <summary>Further enterprises, keyed by corp id (<c>WeCom:Corps:{corpId}:CorpSecret</c>).</summary>
    public Dictionary<string, CorpCredentials> Corps { get; set; } = [];

    /// <summary>How long one WeCom HTTP call may take before it counts as a transient failure.</summary>
    /// <value>The default is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00", ErrorMessage = "WeCom:Timeout must be between 100 ms and 2 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long before its expiry an access token is refreshed (capped at half its lifetime).</summary>
    /// <value>The default is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "WeCom:TokenRefreshBefore must be between 0 and 1 hour.")]
    public TimeSpan TokenRefreshBefore { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>One further enterprise under <c>WeCom:Corps</c>.</summary>
public sealed class CorpCredentials
{
    /// <summary>That enterprise's contact-sync secret.</summary>
    public string CorpSecret { get; set; } = "";
}
