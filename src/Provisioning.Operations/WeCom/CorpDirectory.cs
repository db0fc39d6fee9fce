using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Provisioning.WeCom;

/// <summary>The configured enterprises: resolves a command's corp id and holds each enterprise's secret.</summary>
internal sealed class CorpDirectory(IOptions<WeComOptions> options)
{
    readonly WeComOptions _options = options.Value;

    /// <summary>Every configured enterprise: the default one first.</summary>
    public IReadOnlyList<string> All { get; } = [options.Value.CorpId, .. options.Value.Corps.Keys.Where(id => id != options.Value.CorpId)];

    /// <summary>Resolves a command's corp id: empty means the default; an unconfigured one fails.</summary>
    public bool TryResolve(string? requested, [NotNullWhen(true)] out string? corpId)
    {
        corpId = string.IsNullOrWhiteSpace(requested) ? _options.CorpId : requested;
        if (corpId == _options.CorpId || _options.Corps.ContainsKey(corpId))
            return true;
        corpId = null;
        return false;
    }

    /// <summary>The contact-sync secret of a configured enterprise.</summary>
    public string SecretOf(string corpId) =>
        corpId == _options.CorpId ? _options.CorpSecret
        : _options.Corps.TryGetValue(corpId, out var corp) ? corp.CorpSecret
        : throw new InvalidOperationException($"Corp id '{corpId}' is not configured.");
}
