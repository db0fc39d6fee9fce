using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Provisioning.Consumer.Messaging;

/// <summary>
/// Section <c>Retry</c>: the delayed-redelivery tiers after the in-process retries. Each delay is a parking queue
/// <c>{queue}_retry_{delay}</c> with <c>x-message-ttl</c> whose <c>x-dead-letter-exchange</c> routes back to the input
/// queue: plain RabbitMQ, no delayed-message plugin.
/// </summary>
public sealed class RetryOptions : IValidatableObject
{
    public const string SectionName = "Retry";

    /// <summary>The delays, in order; after the last, the command goes to the error queue with <c>RetriesExhausted</c>.</summary>
    /// <value>The default is 30 seconds, 2 minutes, 10 minutes, 1 hour.</value>
    public List<TimeSpan> Delays { get; set; } = [];

    /// <summary>The delays in force: the configured ones, or the defaults when none are configured.</summary>
    public IReadOnlyList<TimeSpan> Tiers => Delays.Count > 0
        ? Delays
        : [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>The parking queue of one delay, e.g. <c>create-member_retry_30s</c>.</summary>
    public static string ParkingQueue(string inputQueue, TimeSpan delay) => $"{inputQueue}_retry_{Label(delay)}";

    static string Label(TimeSpan delay) => delay switch
    {
        { Ticks: var t } when t % TimeSpan.TicksPerHour == 0 => $"{delay.TotalHours.ToString(CultureInfo.InvariantCulture)}h",
        { Ticks: var t } when t % TimeSpan.TicksPerMinute == 0 => $"{delay.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m",
        { Ticks: var t } when t % TimeSpan.TicksPerSecond == 0 => $"{delay.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s",
        _ => $"{((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms",
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Delays.Count; i++)
        {
            if (Delays[i] < TimeSpan.FromMilliseconds(100) || Delays[i] > TimeSpan.FromDays(7))
                yield return new ValidationResult($"Retry:Delays:{i} must be between 100 ms and 7 days.", [nameof(Delays)]);
        }
    }
}
