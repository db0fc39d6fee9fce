using System.ComponentModel.DataAnnotations;

namespace Provisioning.Consumer.Messaging;

/// <summary>The broker: <c>ConnectionStrings:RabbitMq</c>.</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    /// <summary>An <c>amqp://user:password@host:port/vhost</c> URI (amqps:// for TLS).</summary>
    [Required(ErrorMessage = "ConnectionStrings:RabbitMq is required (environment variable ConnectionStrings__RabbitMq), e.g. amqp://guest:guest@localhost:5672/")]
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectionString is not null &&
            (!Uri.TryCreate(ConnectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs")))
            yield return new ValidationResult("ConnectionStrings:RabbitMq must be an amqp:// or amqps:// URI, e.g. amqp://guest:guest@localhost:5672/",
                [nameof(ConnectionString)]);
    }
}
