using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.Cli;

/// <summary>
/// The request id of a command file item that gives none: derived from its type, its enterprise and its content, so the
/// same file published again carries the same request ids and gets the stored outcomes (never a <c>Conflict</c> for a
/// member the first run created). The same command meant to apply twice needs request ids of its own.
/// </summary>
internal static class RequestIds
{
    public static Guid Derive(string type, JsonNode item)
    {
        var canonical = Canonical(item)!.ToJsonString();
        var corpId = item is JsonObject o && o.TryGetPropertyValue("corpId", out var corp) ? corp?.ToString() ?? "" : "";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}\n{corpId}\n{canonical}"));
        // A name-based UUID (version 5 layout, SHA-256 instead of SHA-1): stable, and never mistaken for a random one.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>Object keys in ordinal order at every depth, so that key order and whitespace do not change the id.</summary>
    static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Where(p => p.Key != "type" && p.Key != "requestId")
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
