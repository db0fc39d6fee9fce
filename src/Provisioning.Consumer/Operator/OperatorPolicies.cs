namespace Provisioning.Consumer.Operator;

/// <summary>The two authorization policies: read (readers and operators) and operate (operators only).</summary>
internal static class OperatorPolicies
{
    public const string Read = "provisioning-read";
    public const string Operate = "provisioning-operate";
}
