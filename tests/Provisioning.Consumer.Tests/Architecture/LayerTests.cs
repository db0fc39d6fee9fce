using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Provisioning.Consumer.Tests.Architecture;

/// <summary>
/// The layers point one way: transport (queues, headers, moving messages) → pipeline (the command steps) → operations and
/// the WeCom client → persistence; and no two folders of the consumer depend on each other.
/// </summary>
public sealed class LayerTests
{
    static readonly System.Reflection.Assembly ConsumerAssembly = typeof(global::Provisioning.Consumer.Pipeline.CommandSteps).Assembly;
    static readonly System.Reflection.Assembly OperationsAssembly = typeof(global::Provisioning.Operations.Outcome).Assembly;
    static readonly System.Reflection.Assembly StorageAssembly = typeof(global::Provisioning.Storage.IRequestLedger).Assembly;

    static readonly ArchUnitNET.Domain.Architecture Architecture = new ArchLoader()
        .LoadAssemblies(ConsumerAssembly, OperationsAssembly, StorageAssembly, typeof(Contracts.CreateMember).Assembly, typeof(Rules.CommandCatalogue).Assembly)
        .Build();

    static ArchUnitNET.Fluent.Syntax.Elements.Types.GivenTypesConjunctionWithDescription In(string @namespace) =>
        Types().That().ResideInNamespaceOrBelow(@namespace).As(@namespace);

    [Fact]
    public void Pipeline_DoesNotKnowTheTransport() =>
        Types().That().Are(In("Provisioning.Consumer.Pipeline")).Should().NotDependOnAny(In("Provisioning.Consumer.Transport")).Check(Architecture);

    [Fact]
    public void OperationsAndWeCom_KnowNeitherPipelineNorTransportNorMassTransit() =>
        Types().That().ResideInAssembly(OperationsAssembly).Should()
            .NotDependOnAny(Types().That().ResideInAssembly(ConsumerAssembly))
            .AndShould().NotDependOnAny(In("MassTransit"))
            .Check(Architecture);

    [Fact]
    public void Storage_KnowsOnlyItself() =>
        Types().That().ResideInAssembly(StorageAssembly).Should()
            .NotDependOnAny(Types().That().ResideInAssembly(ConsumerAssembly))
            .AndShould().NotDependOnAny(Types().That().ResideInAssembly(OperationsAssembly))
            .Check(Architecture);

    [Fact]
    public void Operations_ReferNoMessagingLibrary() =>
        Assert.DoesNotContain(OperationsAssembly.GetReferencedAssemblies().Concat(StorageAssembly.GetReferencedAssemblies()),
            reference => reference.Name!.StartsWith("MassTransit", StringComparison.Ordinal) || reference.Name!.StartsWith("RabbitMQ", StringComparison.Ordinal));

    [Fact]
    public void ConsumerFolders_HaveNoCycles() =>
        ArchUnitNET.Fluent.Slices.SliceRuleDefinition.Slices().Matching("Provisioning.Consumer.(*)").Should().BeFreeOfCycles().Check(Architecture);
}
