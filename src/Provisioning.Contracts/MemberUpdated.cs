using System.Text.Json;

namespace Provisioning.Contracts;

/// <summary>Event: WeCom accepted the changes of <see cref="UpdateMember"/>.</summary>
public sealed record MemberUpdated : MemberCommandSucceeded
{
    /// <summary>The member's userid from now on, when the command renamed it.</summary>
    public string? NewUserId { get; init; }

    /// <summary>
    /// What WeCom accepted without applying, in plain words: a new mobile for a member who has activated their account
    /// (WeCom keeps the person's own number), or that this could not be checked. Empty when there is nothing to say.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// What of the command was not applied because a newer command of the member had already set it: <c>state</c> (its
    /// <c>enable</c>) or <c>profile</c> (its fields). Empty when all of it was applied; <see cref="Warnings"/> says why.
    /// </summary>
    public IReadOnlyList<string> NotApplied { get; init; } = [];

    /// <summary>WeCom's JSON answer to <c>user/update</c>, as received.</summary>
    public JsonElement? Response { get; init; }
}
