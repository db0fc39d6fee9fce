using System.ComponentModel.DataAnnotations;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Pipeline;

/// <summary>Section <c>Consumer</c>: the <c>create-member</c> endpoint's policy.</summary>
public sealed class ConsumerOptions
{
    public const string SectionName = "Consumer";

    /// <summary>The input queue, bound to the <c>Provisioning.Contracts:CreateMember</c> exchange.</summary>
    /// <value>The default is create-member.</value>
    [Required(ErrorMessage = "Consumer:QueueName must not be empty.")]
    public string QueueName { get; set; } = CommandQueueNames.Queue(typeof(CreateMember));

    /// <summary>How many commands one instance handles at once (and so how many WeCom calls it has in flight).</summary>
    /// <value>The default is 32.</value>
    [Range(1, 1000, ErrorMessage = "Consumer:ConcurrentMessageLimit must be between 1 and 1000.")]
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>How many unacknowledged commands the broker hands one instance ahead.</summary>
    /// <value>The default is 64.</value>
    [Range(1, 10000, ErrorMessage = "Consumer:PrefetchCount must be between 1 and 10000.")]
    public int PrefetchCount { get; set; } = 64;

    /// <summary>In-process retries of a transient WeCom failure, after the first attempt.</summary>
    /// <value>The default is 3.</value>
    [Range(0, 20, ErrorMessage = "Consumer:RetryLimit must be between 0 and 20.")]
    public int RetryLimit { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Consumer:RetryMinInterval must be between 0 and 10 minutes.")]
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between in-process retries.</summary>
    /// <value>The default is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Consumer:RetryMaxInterval must be between 0 and 10 minutes.")]
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest message body read, in bytes; a larger one goes to the error queue unread.</summary>
    /// <value>The default is 262144 (256 KiB): a command with every field and 100 departments is a few KiB.</value>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "Consumer:MaxMessageBytes must be between 1024 and 67108864.")]
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>The deepest JSON nesting read; deeper messages go to the error queue unread.</summary>
    /// <value>The default is 32: a command nests about 8 levels deep inside MassTransit's envelope.</value>
    [Range(8, 256, ErrorMessage = "Consumer:MaxJsonDepth must be between 8 and 256.")]
    public int MaxJsonDepth { get; set; } = 32;
}
