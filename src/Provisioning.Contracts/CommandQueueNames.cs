using System.Globalization;
using System.Text;

namespace Provisioning.Contracts;

/// <summary>
/// Where each command travels on RabbitMQ, and the one naming scheme of every queue derived from a command's input
/// queue. A command type's exchange is MassTransit's name for it (<c>Provisioning.Contracts:CreateMember</c>, which a
/// plain-JSON publisher sends to); its input queue, bound to it, is the type's name in kebab case
/// (<c>create-member</c>; the consumer may rename the create queue, <c>Consumer:QueueName</c>). From the input queue:
/// <list type="bullet">
/// <item><c>{input}.{corpId}</c>: an enterprise's lane, fed by the router;</item>
/// <item><c>{input}_error</c>: failed and unreadable deliveries, with the reason, for every lane of the input;</item>
/// <item><c>{input}_retry_{delay}</c>: parked for a delayed retry, back to the input when the delay is over;</item>
/// <item><c>{input}_wait_{delay}</c>: waiting for an earlier command of the same entity;</item>
/// <item><c>{input}_held</c>: disables and deletes the deletion guard holds for an operator.</item>
/// </list>
/// </summary>
public static class CommandQueueNames
{
    /// <summary>Every command type of the contracts: the types that implement <see cref="IProvisioningCommand"/>.</summary>
    public static IReadOnlyList<Type> CommandTypes { get; } = typeof(IProvisioningCommand).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IProvisioningCommand).IsAssignableFrom(type))
        .OrderBy(type => type.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>The input queue of each command type, as the consumer declares it by default.</summary>
    public static IReadOnlyDictionary<Type, string> Defaults { get; } = CommandTypes.ToDictionary(type => type, KebabCase);

    /// <summary>The exchange a command type is published to: <c>Provisioning.Contracts:CreateMember</c>, …</summary>
    public static string Exchange(Type commandType) => $"{commandType.Namespace}:{commandType.Name}";

    /// <summary>The default input queue of a command type.</summary>
    /// <exception cref="KeyNotFoundException">Not a command.</exception>
    public static string Queue(Type commandType) => Defaults[commandType];

    /// <summary>An enterprise's lane of an input queue, e.g. <c>create-member.ww1234</c>.</summary>
    public static string Lane(string inputQueue, string corpId) => $"{inputQueue}.{corpId}";

    /// <summary>The error queue of an input queue and all its lanes.</summary>
    public static string Error(string inputQueue) => inputQueue + ErrorSuffix;

    /// <summary>The queue of commands the deletion guard holds.</summary>
    public static string Held(string inputQueue) => inputQueue + HeldSuffix;

    /// <summary>The parking queue of one retry delay, e.g. <c>create-member_retry_30s</c>.</summary>
    public static string Parking(string inputQueue, TimeSpan delay) => $"{inputQueue}_retry_{Label(delay)}";

    /// <summary>The queue of one wait delay, e.g. <c>update-member_wait_5s</c>.</summary>
    public static string Wait(string inputQueue, TimeSpan delay) => $"{inputQueue}_wait_{Label(delay)}";

    /// <summary>The suffix of error queues.</summary>
    public const string ErrorSuffix = "_error";

    /// <summary>The suffix of held queues.</summary>
    public const string HeldSuffix = "_held";

    /// <summary>The input queue among <paramref name="inputs"/> a queue belongs to: itself, or the input of a lane; null for others.</summary>
    public static string? InputOf(string queue, IEnumerable<string> inputs) =>
        inputs.FirstOrDefault(input => queue == input || queue.StartsWith(input + ".", StringComparison.Ordinal));

    static string Label(TimeSpan delay) => delay switch
    {
        { Ticks: var t } when t % TimeSpan.TicksPerHour == 0 => $"{delay.TotalHours.ToString(CultureInfo.InvariantCulture)}h",
        { Ticks: var t } when t % TimeSpan.TicksPerMinute == 0 => $"{delay.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m",
        { Ticks: var t } when t % TimeSpan.TicksPerSecond == 0 => $"{delay.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s",
        _ => $"{((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms",
    };

    static string KebabCase(Type type)
    {
        var name = new StringBuilder();
        foreach (var c in type.Name)
        {
            if (char.IsUpper(c) && name.Length > 0)
                name.Append('-');
            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }
}
