using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.WeCom;

/// <summary>Checks what data annotations cannot: every further enterprise has a secret.</summary>
internal sealed class WeComOptionsValidator : IValidateOptions<WeComOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComOptions options)
    {
        var failures = options.Corps
            .Where(corp => string.IsNullOrWhiteSpace(corp.Value?.CorpSecret))
            .Select(corp => $"WeCom:Corps:{corp.Key}:CorpSecret is required (environment variable WeCom__Corps__{corp.Key}__CorpSecret).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
