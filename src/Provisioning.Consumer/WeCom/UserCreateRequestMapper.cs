using System.Text.Json;
using Provisioning.Consumer.WeCom.Models;
using Provisioning.Contracts;

namespace Provisioning.Consumer.WeCom;

/// <summary>The one mapping from a <see cref="CreateMember"/> command to a <c>user/create</c> body.</summary>
internal static class UserCreateRequestMapper
{
    /// <summary>Maps a validated command. Department ids go as numbers, leader flags as 0/1, gender as "1"/"2".</summary>
    public static UserCreateRequest Map(CreateMember command)
    {
        var departments = command.Departments is { Count: > 0 } list ? list : null;
        return new UserCreateRequest
        {
            UserId = command.UserId,
            Name = command.Name,
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
            DirectLeader = command.DirectLeaders is { Count: > 0 } leaders ? leaders : null,
            AvatarMediaId = command.AvatarMediaId,
            Enable = command.Enable switch { true => 1, false => 0, null => null },
            ExtAttr = command.ExtAttr,
            ToInvite = command.ToInvite,
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

    /// <summary>The body as WeCom receives it: UTF-8 JSON without <c>\u</c> escapes.</summary>
    public static byte[] Serialize(UserCreateRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(request, WeComJson.Options);
}
