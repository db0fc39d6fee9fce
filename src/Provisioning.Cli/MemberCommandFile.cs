using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Provisioning.Contracts;
using Provisioning.Rules;

namespace Provisioning.Cli;

/// <summary>
/// A command file: a JSON array (camelCase, as the contracts), each item one command whose <c>type</c> names it
/// (<c>CreateMember</c>, <c>UpdateMember</c>, <c>DisableMember</c>, <c>EnableMember</c>, <c>DeleteMember</c>,
/// <c>SyncMember</c>; absent means <c>CreateMember</c>, as files written before the lifecycle commands).
/// </summary>
internal static class MemberCommandFile
{
    static readonly Dictionary<string, Type> Types = CommandCatalogue.All.ToDictionary(command => command.Command.Name, command => command.Command, StringComparer.OrdinalIgnoreCase);

    /// <summary>One command of the file: its type and the command, with its request id (derived from its content when the item had none).</summary>
    public sealed record Item(Type Type, object Command, Guid RequestId, string UserId);

    // Strict: a property the command does not have is an error, not silently dropped.
    internal static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <exception cref="FormatException">The file is not a JSON array of known commands; the message names the item and the problem.</exception>
    public static IReadOnlyList<Item> Read(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            throw new FormatException("the file is empty; it must hold a JSON array of commands, e.g. [{\"userId\": \"zhangsan\", …}]");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            // System.Text.Json's message, without its own position suffix: ours says where, counting from 1.
            var what = ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
            throw new FormatException($"the file is not valid JSON: line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {what}");
        }
        if (root is not JsonArray array)
            throw new FormatException("the file must hold a JSON array of commands, e.g. [{\"userId\": \"zhangsan\", …}]");
        var items = new List<Item>();
        for (var index = 0; index < array.Count; index++)
        {
            if (array[index] is not JsonObject item)
                throw new FormatException($"item {index}: must be a JSON object (a command), not {array[index]?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}");
            var name = item.TryGetPropertyValue("type", out var type) ? type?.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : null : nameof(CreateMember);
            if (name is null || !Types.TryGetValue(name, out var commandType))
                throw new FormatException($"item {index}: type '{type}' is not one of {string.Join(", ", Types.Keys)}");
            Guid requestId;
            if (item.TryGetPropertyValue("requestId", out var id) && id is not null)
            {
                if (!Guid.TryParse(id.ToString(), out requestId))
                    throw new FormatException($"item {index} ({commandType.Name}): requestId '{id}' is not a GUID (leave it out to have one derived from the item)");
            }
            else
            {
                requestId = Guid.Empty;
            }
            if (requestId == Guid.Empty)
                requestId = RequestIds.Derive(commandType.Name, item);
            var body = (JsonObject)item.DeepClone();
            body.Remove("type");
            body["requestId"] = requestId;
            object command;
            try
            {
                command = body.Deserialize(commandType, Strict)!;
            }
            catch (JsonException ex)
            {
                throw new FormatException($"item {index} ({commandType.Name}): {Explain(ex)}");
            }
            var userId = item.TryGetPropertyValue("userId", out var user) && user?.GetValueKind() == JsonValueKind.String ? user.GetValue<string>() : "";
            items.Add(new Item(commandType, command, requestId, userId));
        }
        return items;
    }

    /// <summary>What is wrong with an item, in the file's terms: the property, and the contract's name for a WeCom one.</summary>
    static string Explain(JsonException ex)
    {
        var path = ex.Path is { Length: > 2 } p ? p[2..] : "";
        if (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var name = path.Split('.', '[')[^1];
            // The same suggestions as the consumer's answer to an unknown field (Provisioning.Rules.UnknownFields).
            return UnknownFields.ContractNameOf(name) is { } ours
                ? $"unknown property '{path}': '{name}' is WeCom's name, the command's is '{ours}'"
                : $"unknown property '{path}'";
        }
        return $"'{path}' has a value of the wrong type ({ex.Message.Split(". Path:")[0]})";
    }
}
