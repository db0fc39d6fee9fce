using Provisioning.WeCom;
using Provisioning.WeCom.Models;

namespace Provisioning.Operations;

/// <summary>
/// WeCom accepts a new mobile for a member who has activated their account and ignores it without an error (the
/// person owns their number). After an update that gave a mobile, one read says whether it was applied; a read that
/// is refused (48009 and the like) is said too, never taken as a failure of the update.
/// </summary>
internal sealed class MobileCheck(IWeComClient weCom)
{
    public async Task<IReadOnlyList<string>> WarningsAsync(string corpId, string userId, string? mobile, CancellationToken cancellationToken)
    {
        if (mobile is null)
            return [];
        var read = await weCom.GetUserAsync(corpId, userId, cancellationToken).ConfigureAwait(false);
        if (!read.IsOk || read.Response is null)
            return [$"mobile: WeCom ignores a new mobile for a member who has activated their account; this member could not be read to check (errcode {read.ErrCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})"];
        var member = read.Response;
        if (member.Status != UserGetResponse.Activated)
            return [];
        // Apps created after 2022-06-20 are not shown mobiles: an empty one says nothing.
        if (string.IsNullOrEmpty(member.Mobile))
            return ["mobile: the member has activated their account, so WeCom may have ignored the new mobile (this app is not shown mobiles to check)"];
        return MobileNumbers.Same(member.Mobile, mobile)
            ? []
            : ["mobile: not applied: the member has activated their account, and WeCom keeps the number they own"];
    }
}
