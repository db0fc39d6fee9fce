using MassTransit;
using Provisioning.Consumer.Pipeline;

namespace Provisioning.Consumer.Transport;

/// <summary>What every endpoint does with input it cannot take, or that failed: the same rules on the input queue and the lanes.</summary>
internal static class HostileInput
{
    /// <summary>
    /// An oversized body is refused unread; a message no consumer takes goes to the error queue with its reason (not to
    /// _skipped, which nobody watches). The depth limit is on the bus's JSON options (<see cref="ConsumerOptions.MaxJsonDepth"/>).
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, ConsumerOptions options)
    {
        endpoint.ConfigureReceive(receive => receive.UseFilter(new MessageSizeLimitFilter(options.MaxMessageBytes)));
        endpoint.ConfigureDeadLetter(deadLetter => deadLetter.UseFilter(new SkippedToErrorQueueFilter()));
        ErrorQueueHeaders.Configure(endpoint);
    }
}
