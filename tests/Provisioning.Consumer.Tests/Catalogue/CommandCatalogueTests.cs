using Provisioning.Contracts;
using Provisioning.Rules;

namespace Provisioning.Consumer.Tests.Catalogue;

/// <summary>
/// What a new family's descriptor must get right, checked for every entry so that the next one is too: names, queues and
/// outcome types each the catalogue's own (a name is the operation the console filters on and the metrics count by).
/// </summary>
public sealed class CommandCatalogueTests
{
    [Fact]
    public void EveryDescriptor_HasItsOwnName_Queue_AndOutcomeTypes()
    {
        var all = CommandCatalogue.All;
        Assert.Equal(all.Count, all.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(all.Count, all.Select(c => c.Queue).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Count * 2, all.SelectMany(c => new[] { c.Succeeded, c.Failed }).Distinct().Count());
    }

    [Fact]
    public void EveryDescriptor_NamesACommandItsFailureFactoryAndItsEventsMatch()
    {
        foreach (var descriptor in CommandCatalogue.All)
        {
            Assert.True(typeof(IProvisioningCommand).IsAssignableFrom(descriptor.Command), descriptor.Command.Name);
            Assert.True(typeof(MemberCommandSucceeded).IsAssignableFrom(descriptor.Succeeded), descriptor.Succeeded.Name);
            Assert.IsType(descriptor.Failed, descriptor.NewFailure());
            Assert.Same(descriptor, CommandCatalogue.All.Single(d => d.Command == descriptor.Command));
        }
    }
}
