using System.Text.Json;
using Provisioning.Contracts;

namespace Provisioning.Rules;

/// <summary>The one mapping from a command's member fields to a <c>user/create</c> or <c>user/update</c> body.</summary>
public static class UserRequestMapper
{
    /// <summary>The <c>user/create</c> body of a validated command.</summary>
    public static UserRequest Map(CreateMember command) => Map(command, command.UserId, command.Name);

    /// <summary>The <c>user/update</c> body of a validated command: only the fields it gives.</summary>
    public static UserRequest Map(UpdateMember command) => Map(command, command.UserId, command.Name, command.NewUserId, forUpdate: true);

    /// <summary>The <c>user/create</c> body of a sync, the first call it makes.</summary>
    public static UserRequest MapCreate(SyncMember command) => Map(command, command.UserId, command.Name);

    /// <summary>The <c>user/update</c> body of a sync whose member exists: every field it gives (<c>to_invite</c> is for creation only).</summary>
    public static UserRequest MapUpdate(SyncMember command) => Map(command with { ToInvite = null }, command.UserId, command.Name, forUpdate: true);

    /// <summary>
    /// Maps validated fields. Department ids go as numbers, leader flags as 0/1, gender as "1"/"2". On create an empty
    /// department list is not sent (WeCom puts the member in 其他（待设置部门）); an update never receives one (validation).
    /// </summary>
    static UserRequest Map(MemberProfile command, string userId, string? name, string? newUserId = null, bool forUpdate = false)
    {
        var departments = command.Departments is { Count: > 0 } list ? list : null;
        return new UserRequest
        {
            UserId = userId,
            NewUserId = newUserId,
            Name = name,
            Alias = command.Alias,
            Mobile = command.Mobile,
            Department = departments?.Select(d => d.Id!.Value).ToList(),
            // order and is_leader_in_dept must match department in length (60132): sent whole or not at all.
            Order = departments?.Any(d => d.Order is not null) == true
                ? departments.Select(d => d.Order ?? 0).ToList() : null,
            IsLeaderInDept = departments?.Any(d => d.IsLeader is not null) == true
                ? departments.Select(d => d.IsLeader == true ? 1 : 0).ToList() : null,
            Position = command.Position,
            Gender = command.Gender?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Email = command.Email,
            BizMail = command.BizMail,
            Telephone = command.Telephone,
            // On update an empty list removes the leader; on create it is the same as none.
            DirectLeader = command.DirectLeaders is { } leaders && (forUpdate || leaders.Count > 0) ? leaders : null,
            AvatarMediaId = command.AvatarMediaId,
            Enable = command.Enable switch { true => 1, false => 0, null => null },
            ExtAttr = command.ExtAttr,
            ToInvite = forUpdate ? null : command.ToInvite,
            ExternalProfile = command.ExternalProfile,
            ExternalPosition = command.ExternalPosition,
            Nickname = command.Nickname,
            Address = command.Address,
            MainDepartment = command.MainDepartment,
            Extra = command.Extra is { ValueKind: JsonValueKind.Object } extra
                ? extra.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
                : null,
        };
    }
}
