using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// Every outcome event type: the concrete successes and failures of the contracts (<see cref="MemberCommandSucceeded"/>,
/// <see cref="MemberCommandFailed"/>). Read from the contracts themselves, so a new command's events are included
/// without another list to keep in step.
/// </summary>
internal static class OutcomeTypes
{
    public static IReadOnlyList<Type> All { get; } = typeof(MemberCommandSucceeded).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && (type.IsSubclassOf(typeof(MemberCommandSucceeded)) || type.IsSubclassOf(typeof(MemberCommandFailed))))
        .OrderBy(type => type.Name, StringComparer.Ordinal)
        .ToList();
}
