using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Storage.RequestLog;

/// <summary>
/// What one message or one operator action can make the provisioning log keep and the console show is bounded (issue 20:
/// invalid userids of 250 KB were stored and shown whole; a replay of 20,000 ids wrote a 0.78 MB audit line). A longer
/// value keeps its start, its length and a hash of the whole, so that two long values can still be told apart.
/// </summary>
internal static class BoundedText
{
    /// <summary>Ids and names: WeCom's own limits are 64 characters, so anything past this is hostile or broken.</summary>
    public const int Id = 128;

    /// <summary>Messages, step details and audit targets.</summary>
    public const int Text = 2_000;

    public static string? Bound(string? value, int max)
    {
        if (value is null || value.Length <= max)
            return value;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 6)).ToLowerInvariant();
        var suffix = string.Create(CultureInfo.InvariantCulture, $"… ({value.Length:N0} characters, sha256 {hash})");
        var keep = Math.Max(0, max - suffix.Length);
        // Not between the two halves of a surrogate pair.
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1]))
            keep--;
        return string.Concat(value.AsSpan(0, keep), suffix);
    }
}
