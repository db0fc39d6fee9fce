using MassTransit;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// <see cref="IProvisioningCommand"/> is what the service reads of every command, not a message of its own: no exchange
/// for it, and not in an envelope's <c>messageType</c> (MassTransit lists every interface a message implements), so a
/// command's exchange and envelope stay what they were before the marker existed.
/// </summary>
internal static class CommandTopology
{
    static readonly string Marker = MessageUrn.ForTypeString<IProvisioningCommand>();

    public static void KeepMarkerOut(IBusFactoryConfigurator bus)
    {
        bus.Publish<IProvisioningCommand>(publish => publish.Exclude = true);
        bus.ConfigureSend(send => send.UseSendExecute(context =>
        {
            if (context.SupportedMessageTypes.Contains(Marker))
                context.SupportedMessageTypes = [.. context.SupportedMessageTypes.Where(type => type != Marker)];
        }));
    }
}
