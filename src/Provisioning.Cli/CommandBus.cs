using MassTransit;
using Provisioning.Contracts;
using Provisioning.Rules;

namespace Provisioning.Cli;

/// <summary>
/// The CLI's bus: publishes commands (mandatory, confirmed) and hears their outcomes on a temporary queue of its own,
/// bound to every outcome exchange. One per run.
/// </summary>
internal sealed class CommandBus : IAsyncDisposable
{
    readonly IBusControl _bus;
    readonly Uri _broker;

    CommandBus(IBusControl bus, Uri broker)
    {
        _bus = bus;
        _broker = broker;
    }

    /// <summary>Starts the bus; <paramref name="onOutcome"/> is called for every outcome event (from several threads).</summary>
    public static async Task<CommandBus> StartAsync(Uri broker, Action<CommandOutcome> onOutcome, CancellationToken cancellationToken)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            // MemberProfile is the commands' shared fields, no message of its own: no exchange for it.
            cfg.Publish<MemberProfile>(publish => publish.Exclude = true);
            // The marker every command implements is no message of its own either: no exchange, not in messageType.
            cfg.Publish<IProvisioningCommand>(publish => publish.Exclude = true);
            cfg.ConfigureSend(send => send.UseSendExecute(context =>
                context.SupportedMessageTypes = [.. context.SupportedMessageTypes.Where(type => type != MessageUrn.ForTypeString<IProvisioningCommand>())]));
            cfg.ReceiveEndpoint(endpoint =>
            {
                // Every outcome of the catalogue's commands.
                foreach (var command in CommandCatalogue.All)
                {
                    Handle(command.Succeeded, nameof(Succeeded), endpoint, onOutcome);
                    Handle(command.Failed, nameof(Failed), endpoint, onOutcome);
                }
            });
        });

        // The broker was checked just before; if it goes away meanwhile, MassTransit would retry for ever.
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await bus.StartAsync(startTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"cannot reach the broker at {BrokerAddress.Safe(broker)} (no connection within 30 s); nothing was published", ExitCodes.Broker);
        }
        return new CommandBus(bus, broker);
    }

    /// <summary>Publishes one command, mandatory: if no queue is bound to its exchange the broker returns it, and this says so.</summary>
    public async Task PublishAsync(MemberCommandFile.Item item, CancellationToken cancellationToken)
    {
        try
        {
            await _bus.Publish(item.Command, item.Type, Pipe.Execute<PublishContext>(context => context.Mandatory = true), cancellationToken).ConfigureAwait(false);
        }
        catch (MessageReturnedException)
        {
            throw new CliException(
                $"the broker at {BrokerAddress.Safe(_broker)} returned the {item.Type.Name} for '{item.UserId}': no queue is bound to the exchange " +
                $"'{CommandQueueNames.Exchange(item.Type)}', so nothing receives it (is the consumer deployed on this virtual host?)", ExitCodes.Broker);
        }
    }

    static void Handle(Type outcome, string handler, IReceiveEndpointConfigurator endpoint, Action<CommandOutcome> onOutcome) =>
        typeof(CommandBus).GetMethod(handler, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(outcome).Invoke(null, [endpoint, onOutcome]);

    static void Succeeded<T>(IReceiveEndpointConfigurator endpoint, Action<CommandOutcome> onOutcome)
        where T : MemberCommandSucceeded =>
        endpoint.Handler<T>(context =>
        {
            onOutcome(CommandOutcome.Of(context.Message));
            return Task.CompletedTask;
        });

    static void Failed<T>(IReceiveEndpointConfigurator endpoint, Action<CommandOutcome> onOutcome)
        where T : MemberCommandFailed =>
        endpoint.Handler<T>(context =>
        {
            onOutcome(CommandOutcome.Of(context.Message));
            return Task.CompletedTask;
        });

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None).ConfigureAwait(false);
}
