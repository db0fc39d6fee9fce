using Microsoft.Extensions.Options;

namespace Provisioning.WeCom;

/// <summary>Checks what data annotations cannot: an absolute http(s) base URL, and every further enterprise has a secret.</summary>
internal sealed class WeComOptionsValidator : IValidateOptions<WeComOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComOptions options)
    {
        var failures = options.Corps
            .Where(corp => string.IsNullOrWhiteSpace(corp.Value?.CorpSecret))
            .Select(corp => $"WeCom:Corps:{corp.Key}:CorpSecret is required (environment variable WeCom__Corps__{corp.Key}__CorpSecret).")
            .ToList();
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            failures.Insert(0, $"WeCom:BaseUrl (environment variable WeCom__BaseUrl) is '{options.BaseUrl}', which is not an absolute http:// or https:// URL such as https://qyapi.weixin.qq.com.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
