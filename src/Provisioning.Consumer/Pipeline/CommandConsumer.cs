using MassTransit;
using Provisioning.Contracts;
using Provisioning.Operations;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// Applies the command's operation (<see cref="IMemberOperation{TCommand}"/>) in its turn, with in-process retries of
/// what is transient (<see cref="TransientRetry"/>); what still fails is thrown for the transport to park. Everything
/// else a command goes through is a step before it (<see cref="CommandSteps"/>).
/// </summary>
internal sealed class CommandConsumer<TCommand>(IMemberOperation<TCommand> operation, TransientRetry retry, TimeProvider time) : IConsumer<TCommand>
    where TCommand : class, IProvisioningCommand
{
    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var turn = context.GetPayload<Turn<TCommand>>();
        turn.Outcome = await retry.Pipeline.ExecuteAsync(
            async token => await operation.ApplyAsync(turn.Ticket.CorpId, turn.Command, turn.NextAttempt(time.GetUtcNow()), token).ConfigureAwait(false),
            context.CancellationToken).ConfigureAwait(false);
    }
}
