using System.Globalization;
using System.Text;
using System.Text.Json;
using Provisioning.Contracts;
using RabbitMQ.Client;

namespace Provisioning.Broker;

/// <summary>What the replay filters look at in a message of the error queue: its command, its WeCom errcode, its age.</summary>
public sealed record DeadLetter(Guid? RequestId, string? UserId, int? ErrCode, DateTimeOffset? FaultedAt, string? Reason, string? CorpId = null)
{
    /// <summary>Headers that belong to the failure, not to the command: dropped when the message goes back.</summary>
    public static bool IsFailureHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.Ordinal) || name.StartsWith("MT-Host-", StringComparison.Ordinal) ||
        name is "MT-Reason" or "x-death" or ProvisioningHeaders.RetryTier or ProvisioningHeaders.ErrCode or ProvisioningHeaders.MovedFrom;

    public static DeadLetter Read(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var reason = Header(properties, "MT-Fault-Message");
        var errCode = int.TryParse(Header(properties, ProvisioningHeaders.ErrCode), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
            ? code : (int?)null;
        var faultedAt = DateTimeOffset.TryParse(Header(properties, "MT-Fault-Timestamp"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var timestamp) ? timestamp : (DateTimeOffset?)null;

        Guid? requestId = null;
        string? userId = null;
        string? corpId = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var command = document.RootElement;
            // A MassTransit envelope carries the command in "message"; a plain JSON command is the body itself.
            if (command.ValueKind == JsonValueKind.Object && Property(command, "message") is { ValueKind: JsonValueKind.Object } inner)
                command = inner;
            if (Property(command, "requestId") is { ValueKind: JsonValueKind.String } id && Guid.TryParse(id.GetString(), out var parsed))
                requestId = parsed;
            if (Property(command, "userId") is { ValueKind: JsonValueKind.String } user)
                userId = user.GetString();
            if (Property(command, "corpId") is { ValueKind: JsonValueKind.String } corp)
                corpId = corp.GetString();
        }
        catch (JsonException)
        {
            // Unreadable: it can still be replayed (with --all or by age), just not picked by request or userid.
        }
        return new DeadLetter(requestId, userId, errCode, faultedAt, reason, corpId);
    }

    static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        }
        return null;
    }

    static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers is not null && properties.Headers.TryGetValue(name, out var value)
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;
}
