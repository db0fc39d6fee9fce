using System.ComponentModel.DataAnnotations;

namespace Provisioning.Consumer.Transport;

/// <summary>Which kind of queue the consumer declares for its input, lanes, parking and error queues.</summary>
public enum QueueType
{
    /// <summary>Classic queues: a single broker node.</summary>
    Classic,

    /// <summary>Quorum queues, replicated across a cluster (classic mirrored queues are gone from RabbitMQ 4).</summary>
    Quorum,
}

/// <summary>The broker: <c>ConnectionStrings:RabbitMq</c> and section <c>RabbitMq</c>.</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string SectionName = "RabbitMq";

    /// <summary>An <c>amqp://user:password@host:port/vhost</c> URI (amqps:// for TLS), from <c>ConnectionStrings:RabbitMq</c>.</summary>
    [Required(ErrorMessage = "ConnectionStrings:RabbitMq is required (environment variable ConnectionStrings__RabbitMq), e.g. amqp://guest:guest@localhost:5672/")]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Further nodes of the broker's cluster as <c>host:port</c> (same user, password and virtual host as the connection
    /// string). With them, each replica tries the nodes in its own random order, and the next one when its node is down.
    /// </summary>
    /// <value>The default is none: only the connection string's host.</value>
    public List<string> ClusterNodes { get; set; } = [];

    /// <summary>The queue type of the input queue, the lanes, the parking queues and the error queue.</summary>
    /// <value>The default is Classic (a single node); use Quorum on a cluster. Changing it needs the queues deleted first.</value>
    public QueueType QueueType { get; set; } = QueueType.Classic;

    /// <summary>The connection string's node first, then <see cref="ClusterNodes"/>.</summary>
    public IReadOnlyList<(string Host, int Port)> Nodes()
    {
        var uri = new Uri(ConnectionString!);
        var nodes = new List<(string, int)> { (uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port) };
        foreach (var node in ClusterNodes)
        {
            var parts = node.Split(':', 2);
            nodes.Add((parts[0], parts.Length == 2 && int.TryParse(parts[1], out var port) ? port : 5672));
        }
        return nodes.Distinct().ToList();
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectionString is not null &&
            (!Uri.TryCreate(ConnectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs")))
            yield return new ValidationResult("ConnectionStrings:RabbitMq must be an amqp:// or amqps:// URI, e.g. amqp://guest:guest@localhost:5672/",
                [nameof(ConnectionString)]);
        for (var i = 0; i < ClusterNodes.Count; i++)
        {
            var parts = ClusterNodes[i].Split(':');
            if (parts.Length is < 1 or > 2 || string.IsNullOrWhiteSpace(parts[0]) || (parts.Length == 2 && !ushort.TryParse(parts[1], out _)))
                yield return new ValidationResult(
                    $"RabbitMq:ClusterNodes:{i} (environment variable RabbitMq__ClusterNodes__{i}) is '{ClusterNodes[i]}', which is not host or host:port.",
                    [nameof(ClusterNodes)]);
        }
    }
}
