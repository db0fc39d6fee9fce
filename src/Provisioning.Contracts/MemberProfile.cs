using System.Text.Json;

namespace Provisioning.Contracts;

/// <summary>
/// The member fields of <c>user/create</c> and <c>user/update</c> other than the userid and the name, shared by
/// <see cref="CreateMember"/>, <see cref="UpdateMember"/> and <see cref="SyncMember"/>. Every one is optional: an absent
/// field is not sent to WeCom, so on an update it does not change.
/// </summary>
public abstract record MemberProfile
{
    /// <summary>成员别名, WeCom <c>alias</c>: 1-64 characters.</summary>
    public string? Alias { get; init; }

    /// <summary>手机号码, WeCom <c>mobile</c>: at most 32 characters of digits, <c>+</c>, <c>-</c> and spaces; unique in the enterprise. A create needs mobile or email.</summary>
    public string? Mobile { get; init; }

    /// <summary>成员所属部门列表, WeCom <c>department</c>/<c>order</c>/<c>is_leader_in_dept</c>: at most 100 entries. Absent or empty puts the member in 其他（待设置部门）.</summary>
    public IReadOnlyList<DepartmentMembership>? Departments { get; init; }

    /// <summary>是否主部门, WeCom <c>main_department</c>: a department id that must be one of <see cref="Departments"/>.</summary>
    public long? MainDepartment { get; init; }

    /// <summary>职务信息, WeCom <c>position</c>: at most 128 characters.</summary>
    public string? Position { get; init; }

    /// <summary>性别, WeCom <c>gender</c>: 1 male, 2 female. Never defaulted: absent means not sent.</summary>
    public int? Gender { get; init; }

    /// <summary>邮箱, WeCom <c>email</c>: a valid address of 6-64 bytes; unique in the enterprise. A create needs mobile or email.</summary>
    public string? Email { get; init; }

    /// <summary>企业邮箱, WeCom <c>biz_mail</c>: a valid address of 6-64 bytes; only for enterprises with WeCom mail.</summary>
    public string? BizMail { get; init; }

    /// <summary>座机, WeCom <c>telephone</c>: at most 32 bytes of digits, <c>-</c>, <c>+</c> and <c>,</c>.</summary>
    public string? Telephone { get; init; }

    /// <summary>直属上级列表, WeCom <c>direct_leader</c>: at most one userid.</summary>
    public IReadOnlyList<string>? DirectLeaders { get; init; }

    /// <summary>成员头像的Mediaid, WeCom <c>avatar_mediaid</c>: a media id from the media upload API.</summary>
    public string? AvatarMediaId { get; init; }

    /// <summary>地址, WeCom <c>address</c>: at most 128 characters.</summary>
    public string? Address { get; init; }

    /// <summary>启用/禁用成员, WeCom <c>enable</c> (sent as 1/0). Absent means WeCom's default, enabled.</summary>
    public bool? Enable { get; init; }

    /// <summary>是否邀请成员使用企业微信, WeCom <c>to_invite</c>. Absent means WeCom's default, true.</summary>
    public bool? ToInvite { get; init; }

    /// <summary>Custom attributes, WeCom <c>extattr</c>, in WeCom's own <c>{"attrs":[…]}</c> shape.</summary>
    public ExtAttr? ExtAttr { get; init; }

    /// <summary>External profile, WeCom <c>external_profile</c>, in WeCom's own shape.</summary>
    public ExternalProfile? ExternalProfile { get; init; }

    /// <summary>External job title, WeCom <c>external_position</c>: at most 12 characters.</summary>
    public string? ExternalPosition { get; init; }

    /// <summary>Video-channel name bound to the enterprise, WeCom <c>nickname</c>.</summary>
    public string? Nickname { get; init; }

    /// <summary>
    /// 额外属性: a JSON object of further <c>user/create</c> fields, merged into the request body as given.
    /// A key that a typed field above already covers is a validation error.
    /// </summary>
    public JsonElement? Extra { get; init; }
}
