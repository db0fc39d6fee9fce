using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// Section <c>Retry</c>: the delayed-redelivery tiers after the in-process retries. Each delay is a parking queue
/// <c>{queue}_retry_{delay}</c> with <c>x-message-ttl</c> whose <c>x-dead-letter-exchange</c> routes back to the input
/// queue: plain RabbitMQ, no delayed-message plugin.
/// </summary>
public sealed partial class RetryOptions : IValidatableObject
{
    public const string SectionName = "Retry";

    static readonly TimeSpan[] DefaultTiers = [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>
    /// The delays, in order, as <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>, <c>500ms</c> or <c>hh:mm:ss</c>; after the last,
    /// the command goes to the error queue with <c>RetriesExhausted</c>. Configured entries replace the defaults as a
    /// whole (the defaults live here, not in appsettings.json, so an environment list is never merged with them).
    /// </summary>
    /// <value>The default is 30s, 2m, 10m, 1h.</value>
    public List<string> Delays { get; set; } = [];

    /// <summary>The delays in force: the configured ones, or the defaults when none are configured.</summary>
    /// <remarks>A method, not a property: the configuration binder reads every property, and this one throws before validation.</remarks>
    public IReadOnlyList<TimeSpan> Tiers() => Delays.Count > 0
        ? Delays.Select(d => TryParseDuration(d, out var delay) ? delay : throw new InvalidOperationException($"Retry:Delays has an invalid entry '{d}'.")).ToList()
        : DefaultTiers;

    [GeneratedRegex(@"^\s*(?<n>[0-9]+)\s*(?<unit>ms|s|m|h|d)\s*\z", RegexOptions.IgnoreCase)]
    private static partial Regex ShortDuration();

    /// <summary>Reads <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>, <c>500ms</c>, or a .NET time span such as <c>00:00:30</c>.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        if (ShortDuration().Match(text) is { Success: true } match && long.TryParse(match.Groups["n"].ValueSpan, CultureInfo.InvariantCulture, out var n))
        {
            duration = match.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            return true;
        }
        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Delays.Count; i++)
        {
            if (!TryParseDuration(Delays[i], out var delay))
                yield return new ValidationResult(
                    $"Retry:Delays:{i} (environment variable Retry__Delays__{i}) is '{Delays[i]}', which is not a duration: use 30s, 2m, 1h, 1d, 500ms or hh:mm:ss.",
                    [nameof(Delays)]);
            else if (delay < TimeSpan.FromMilliseconds(100) || delay > TimeSpan.FromDays(7))
                yield return new ValidationResult($"Retry:Delays:{i} (environment variable Retry__Delays__{i}) must be between 100 ms and 7 days.", [nameof(Delays)]);
        }
    }
}
