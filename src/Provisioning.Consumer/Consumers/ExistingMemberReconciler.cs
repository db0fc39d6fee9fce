using Provisioning.Consumer.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>Whose member holds a userid that WeCom says exists (60102).</summary>
internal enum ExistingMember
{
    /// <summary>Created by an earlier attempt at this command: a success.</summary>
    Ours,

    /// <summary>Another person's: a conflict.</summary>
    Someone,
}

/// <summary>
/// Decides whether a member WeCom already holds is the one this command asked for, by reading it back
/// (<c>user/get</c>, WeCom document 90196) and comparing name, mobile and email.
/// </summary>
internal sealed class ExistingMemberReconciler(IWeComClient weCom)
{
    public async Task<ExistingMember> ReconcileAsync(string corpId, CreateMember command, int attempts, CancellationToken cancellationToken)
    {
        var read = await weCom.GetUserAsync(corpId, command.UserId, cancellationToken).ConfigureAwait(false);
        if (read.Class == WeComErrorClass.Transient)
            throw WeComException.From("user/get", read);
        if (!read.IsOk || read.Response is null)
            // The contact-sync secret may not read members from a new IP (48009). An earlier attempt of this
            // command (a timeout, a redelivery) is then the likely creator; a first attempt cannot be.
            return attempts > 1 ? ExistingMember.Ours : ExistingMember.Someone;

        var member = read.Response;
        var sameName = string.Equals(member.Name, command.Name, StringComparison.Ordinal);
        var sameMobile = command.Mobile is null || SameMobile(member.Mobile, command.Mobile);
        var sameEmail = command.Email is null || string.Equals(member.Email, command.Email, StringComparison.OrdinalIgnoreCase);
        return sameName && sameMobile && sameEmail ? ExistingMember.Ours : ExistingMember.Someone;
    }

    // WeCom may answer the mobile without the spaces or country code the command had.
    static bool SameMobile(string? held, string given)
    {
        if (string.IsNullOrEmpty(held))
            return true;
        var a = new string(held.Where(char.IsAsciiDigit).ToArray());
        var b = new string(given.Where(char.IsAsciiDigit).ToArray());
        return a.EndsWith(b, StringComparison.Ordinal) || b.EndsWith(a, StringComparison.Ordinal);
    }
}
