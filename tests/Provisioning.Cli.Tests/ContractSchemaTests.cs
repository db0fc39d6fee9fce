using System.Text.Json;
using System.Text.Json.Schema;
using Provisioning.Contracts;
using Provisioning.Rules;

namespace Provisioning.Cli.Tests;

/// <summary>
/// The JSON Schemas in <c>schemas/</c>, for publishers and subscribers in other languages, are what the contracts
/// serialize to (camelCase, System.Text.Json's own exporter). Regenerate with <c>UPDATE_SCHEMAS=1 dotnet test
/// tests/Provisioning.Cli.Tests --filter ContractSchemaTests</c> after changing a contract.
/// </summary>
public sealed class ContractSchemaTests
{
    /// <summary>Every command of the catalogue and its two outcomes: a command added without its schemas fails here.</summary>
    public static TheoryData<Type> Contracts => [.. CommandCatalogue.All.SelectMany(command => new[] { command.Command, command.Succeeded, command.Failed })];

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Schema(Type type)
    {
        var schema = JsonSerializerOptions.Web.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["title"] = type.Name;
        return schema.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Provisioning.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Provisioning.sln not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void TheCommittedSchema_IsWhatTheContractSerializesTo(Type type)
    {
        var path = Path.Combine(Root(), "schemas", type.Name + ".schema.json");
        var expected = Schema(type);
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMAS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run with UPDATE_SCHEMAS=1 to write it");
        Assert.Equal(expected, File.ReadAllText(path));
    }

    [Fact]
    public void ASchema_SaysWhatACommandRequiresAndNames()
    {
        using var schema = JsonDocument.Parse(Schema(typeof(CreateMember)));
        var properties = schema.RootElement.GetProperty("properties");

        Assert.True(properties.TryGetProperty("userId", out _));
        Assert.True(properties.TryGetProperty("departments", out _));
        Assert.False(properties.TryGetProperty("department", out _));
    }
}
