namespace Provisioning.Consumer.Operations;

/// <summary>Section <c>Lifecycle</c>: what the leaver commands may do.</summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>
    /// Whether <c>DeleteMember</c> is carried out. A delete is irreversible and also deletes the member's mailbox; when
    /// off, each one fails as <c>NotAllowed</c> and nothing is sent to WeCom.
    /// </summary>
    /// <value>The default is false.</value>
    public bool AllowDelete { get; set; }
}
