using System.Text.Json;

namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="SyncMember"/> now exists in WeCom with the given fields.</summary>
public sealed record MemberSynced : MemberCommandSucceeded
{
    /// <summary>True when the member was created by this command; false when it existed and was updated.</summary>
    public bool Created { get; init; }

    /// <summary>Placeholder departments WeCom created for department ids that did not exist (on create only).</summary>
    public IReadOnlyList<CreatedDepartment> CreatedDepartments { get; init; } = [];

    /// <summary>As <see cref="MemberUpdated.Warnings"/>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>WeCom's JSON answer to the last call made (<c>user/create</c> or <c>user/update</c>), as received.</summary>
    public JsonElement? Response { get; init; }
}
