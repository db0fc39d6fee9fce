using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary>Whose member holds a userid that WeCom says exists (60102).</summary>
internal enum ExistingMember
{
    /// <summary>Created by an earlier attempt at this request: a success.</summary>
    Ours,

    /// <summary>Another request's, or another person's: a conflict.</summary>
    Someone,
}

/// <summary>
/// Decides whether a member WeCom already holds is the one this request asked for. Only an earlier attempt of the
/// same request (a timeout, a crash before the ack, a redelivery) can have created it; the member is then read back
/// (<c>user/get</c>, WeCom document 90196) and compared: userid ignoring case as WeCom does, name, mobile and email.
/// </summary>
internal sealed class ExistingMemberReconciler(IWeComClient weCom)
{
    public async Task<ExistingMember> ReconcileAsync(string corpId, CreateMember command, bool earlierAttempt, CancellationToken cancellationToken)
    {
        if (!earlierAttempt)
            return ExistingMember.Someone;

        var read = await weCom.GetUserAsync(corpId, command.UserId, cancellationToken).ConfigureAwait(false);
        if (read.Class == WeComErrorClass.Transient)
            throw WeComException.From("user/get", read);
        if (!read.IsOk || read.Response is null)
            // The contact-sync secret may not read members from a new IP (48009): our earlier attempt is then the
            // creator we know of, and a 60102 must not turn into a failure.
            return ExistingMember.Ours;

        var member = read.Response;
        var sameUser = string.Equals(member.UserId ?? command.UserId, command.UserId, StringComparison.OrdinalIgnoreCase);
        var sameName = string.Equals(member.Name, command.Name, StringComparison.Ordinal);
        var sameMobile = command.Mobile is null || string.IsNullOrEmpty(member.Mobile) || MobileNumbers.Same(member.Mobile, command.Mobile);
        var sameEmail = command.Email is null || string.IsNullOrEmpty(member.Email) || string.Equals(member.Email, command.Email, StringComparison.OrdinalIgnoreCase);
        return sameUser && sameName && sameMobile && sameEmail ? ExistingMember.Ours : ExistingMember.Someone;
    }
}
