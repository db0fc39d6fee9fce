using System.Text.Json;
using Provisioning.Contracts;

namespace Provisioning.Cli;

/// <summary>
/// A command file: a JSON array (camelCase, as the contracts), each item one command whose <c>type</c> names it
/// (<c>CreateMember</c>, <c>UpdateMember</c>, <c>DisableMember</c>, <c>EnableMember</c>, <c>DeleteMember</c>,
/// <c>SyncMember</c>; absent means <c>CreateMember</c>, as files written before the lifecycle commands).
/// </summary>
internal static class MemberCommandFile
{
    static readonly Dictionary<string, Type> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(CreateMember)] = typeof(CreateMember),
        [nameof(UpdateMember)] = typeof(UpdateMember),
        [nameof(DisableMember)] = typeof(DisableMember),
        [nameof(EnableMember)] = typeof(EnableMember),
        [nameof(DeleteMember)] = typeof(DeleteMember),
        [nameof(SyncMember)] = typeof(SyncMember),
    };

    /// <summary>One command of the file: its type and the command, with a request id (a new one when the item had none).</summary>
    public sealed record Item(Type Type, object Command, Guid RequestId, string UserId);

    public static IReadOnlyList<Item> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new FormatException("the file must hold a JSON array of commands");
        var items = new List<Item>();
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var name = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) ? type.GetString() : nameof(CreateMember);
            if (name is null || !Types.TryGetValue(name, out var commandType))
                throw new FormatException($"item {index}: type '{name}' is not one of {string.Join(", ", Types.Keys)}");
            var requestId = element.TryGetProperty("requestId", out var id) && id.TryGetGuid(out var given) && given != Guid.Empty ? given : Guid.NewGuid();
            var command = WithRequestId(element, requestId).Deserialize(commandType, JsonSerializerOptions.Web)!;
            var userId = element.TryGetProperty("userId", out var user) ? user.GetString() ?? "" : "";
            items.Add(new Item(commandType, command, requestId, userId));
            index++;
        }
        return items;
    }

    static JsonElement WithRequestId(JsonElement element, Guid requestId)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText())!.AsObject();
        node.Remove("type");
        node["requestId"] = requestId;
        return JsonSerializer.SerializeToElement(node);
    }
}
