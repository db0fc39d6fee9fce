using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Provisioning.Contracts;

namespace Provisioning.Rules;

/// <summary>
/// The properties of a command's JSON that the command does not have: a deserializer drops them without a word, so a
/// WeCom name (<c>department</c> for <c>departments</c>) would be lost and the command applied without it. Read from the
/// serializer's own metadata (<see cref="JsonTypeInfo"/> of the given options), so names compare exactly as they
/// deserialize (case-insensitively under MassTransit's options, <c>[JsonPropertyName]</c> honoured). Nested objects and
/// array items are checked by their declared types; a <see cref="JsonElement"/> property (<c>extra</c>) and dictionaries
/// take any key. Pure, and bounded: the walk follows the contract's shape and stops at <see cref="MaxReported"/> errors.
/// </summary>
public static class UnknownFields
{
    /// <summary>The most unknown fields reported for one command; a hostile message may carry thousands.</summary>
    public const int MaxReported = 20;

    // WeCom's wire names (user/create, user/update), which the contracts spell in camelCase: a body copied from a WeCom
    // request would otherwise lose them.
    static readonly Dictionary<string, string> WeComNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["userid"] = "userId", ["new_userid"] = "newUserId", ["department"] = "departments", ["main_department"] = "mainDepartment",
        ["is_leader_in_dept"] = "departments[].isLeader", ["order"] = "departments[].order", ["direct_leader"] = "directLeaders",
        ["biz_mail"] = "bizMail", ["avatar_mediaid"] = "avatarMediaId", ["extattr"] = "extAttr", ["external_profile"] = "externalProfile",
        ["external_position"] = "externalPosition", ["to_invite"] = "toInvite",
    };

    static readonly ConditionalWeakTable<JsonTypeInfo, Shape> Properties = new();

    /// <summary>An object type's property names as it deserializes them; null when extension data takes any name.</summary>
    sealed record Shape(Dictionary<string, JsonPropertyInfo>? Names);

    /// <summary>The contract's name for a WeCom wire name (<c>department</c> → <c>departments</c>), or null.</summary>
    public static string? ContractNameOf(string weComName) => WeComNames.GetValueOrDefault(weComName);

    /// <summary>Each property of <paramref name="json"/> that <paramref name="commandType"/> does not have, as a field error.</summary>
    public static IReadOnlyList<FieldError> Find(JsonElement json, Type commandType, JsonSerializerOptions options, int max = MaxReported)
    {
        List<FieldError>? errors = null;
        Walk(json, options.GetTypeInfo(commandType), "", options, ref errors, max);
        return errors ?? (IReadOnlyList<FieldError>)[];
    }

    static void Walk(JsonElement json, JsonTypeInfo info, string path, JsonSerializerOptions options, ref List<FieldError>? errors, int max)
    {
        if (info.Kind == JsonTypeInfoKind.Object && json.ValueKind == JsonValueKind.Object)
        {
            if (Properties.GetValue(info, Index).Names is not { } known)
                return;
            foreach (var property in json.EnumerateObject())
            {
                var name = property.Name;
                if (!known.TryGetValue(name, out var match))
                    (errors ??= []).Add(new FieldError { Field = Path(path, name), Message = Explain(name, info, known) });
                else if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    Walk(property.Value, options.GetTypeInfo(match.PropertyType), Path(path, name), options, ref errors, max);
                if (errors?.Count >= max)
                    return;
            }
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } elementType && json.ValueKind == JsonValueKind.Array)
        {
            var itemInfo = options.GetTypeInfo(elementType);
            var index = 0;
            foreach (var item in json.EnumerateArray())
            {
                if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    Walk(item, itemInfo, $"{path}[{index}]", options, ref errors, max);
                if (errors?.Count >= max)
                    return;
                index++;
            }
        }
        // Anything else is a value (a wrong one is the deserializer's error), a dictionary or a JsonElement: any key goes.
    }

    static string Path(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    static Shape Index(JsonTypeInfo info) =>
        new(info.Properties.Any(p => p.IsExtensionData)
            ? null
            : info.Properties.ToDictionary(p => p.Name, p => p,
                info.Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal));

    static string Explain(string name, JsonTypeInfo info, Dictionary<string, JsonPropertyInfo> known)
    {
        var message = $"unknown field: not a property of {info.Type.Name}";
        var suggestion = ContractNameOf(name) is { } ours
            ? $" ('{name}' is WeCom's name; did you mean '{ours}'?)"
            : Closest(name, known.Keys) is { } close ? $" (did you mean '{close}'?)" : "";
        return message + suggestion;
    }

    /// <summary>A known name at most two edits away (a typo, a missing plural s), ignoring case; null when none is.</summary>
    static string? Closest(string name, IEnumerable<string> names)
    {
        if (name.Length > 64)
            return null;
        string? best = null;
        var bestDistance = 3;
        foreach (var candidate in names)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }
        return best;
    }

    static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
            return int.MaxValue;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
