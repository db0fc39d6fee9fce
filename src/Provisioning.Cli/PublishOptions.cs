namespace Provisioning.Cli;

internal sealed record PublishOptions
{
    public required string File { get; init; }

    public static Uri DefaultBroker => new(Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? "amqp://guest:guest@127.0.0.1:5672/");

    public Uri Broker { get; init; } = DefaultBroker;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool Wait { get; init; } = true;
}
