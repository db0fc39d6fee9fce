using System.Text.Json;

namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="CreateMember"/> exists in WeCom. Published exactly once per handled command.</summary>
public sealed record MemberCreated
{
    /// <summary>The command's <see cref="CreateMember.RequestId"/>.</summary>
    public Guid RequestId { get; init; }

    /// <summary>The enterprise the member was created in (the default corp id when the command named none).</summary>
    public string CorpId { get; init; } = "";

    /// <summary>The member's userid, as the command gave it.</summary>
    public string UserId { get; init; } = "";

    /// <summary>Placeholder departments WeCom created because a department id did not exist, from <c>created_department_list</c>. Empty when none.</summary>
    public IReadOnlyList<CreatedDepartment> CreatedDepartments { get; init; } = [];

    /// <summary>True when WeCom already held this member from an earlier attempt of the same request (errcode 60102 reconciled).</summary>
    public bool AlreadyExisted { get; init; }

    /// <summary>WeCom's JSON answer to <c>user/create</c>, as received.</summary>
    public JsonElement? Response { get; init; }

    /// <summary>How many times the command was attempted, this one included (in-process retries and redeliveries).</summary>
    public int Attempts { get; init; }

    /// <summary>When the outcome was decided.</summary>
    public DateTimeOffset OccurredAt { get; init; }
}
