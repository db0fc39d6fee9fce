using Provisioning.Consumer.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// Creates the member of a validated command in WeCom and decides the outcome event. Failures that are not the
/// command's fault are thrown as <see cref="WeComException"/>, for the endpoint's retry policy.
/// </summary>
internal sealed class MemberProvisioner(IWeComClient weCom, ExistingMemberReconciler reconciler, TimeProvider timeProvider)
{
    /// <param name="corpId">The resolved enterprise.</param>
    /// <param name="command">A command that passed validation.</param>
    /// <param name="attempts">This attempt's number; above 1, an earlier attempt may have created the member already.</param>
    /// <param name="cancellationToken">Cancels the WeCom calls.</param>
    /// <returns>The member created, or the command failed.</returns>
    public async Task<Outcome> ProvisionAsync(string corpId, CreateMember command, int attempts, CancellationToken cancellationToken)
    {
        var outcomes = new MemberOutcomes(command, attempts, timeProvider.GetUtcNow());
        var result = await weCom.CreateUserAsync(corpId, UserCreateRequestMapper.Map(command), cancellationToken).ConfigureAwait(false);
        switch (result.Class)
        {
            case WeComErrorClass.Ok:
                return outcomes.Created(corpId, result, alreadyExisted: false);
            case WeComErrorClass.AlreadyExists:
                var existing = await reconciler.ReconcileAsync(corpId, command, earlierAttempt: attempts > 1, cancellationToken).ConfigureAwait(false);
                return existing == ExistingMember.Ours
                    ? outcomes.Created(corpId, result, alreadyExisted: true)
                    : outcomes.Rejected(corpId, FailureReasons.Conflict, result);
            case WeComErrorClass.Conflict:
                return outcomes.Rejected(corpId, FailureReasons.Conflict, result);
            case WeComErrorClass.Rejected:
                return outcomes.Rejected(corpId, FailureReasons.Rejected, result);
            default:
                // Transient, a token that kept failing, or systemic: not the command's fault, so not its failure.
                throw WeComException.From("user/create", result);
        }
    }
}
