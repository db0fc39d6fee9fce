using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.Tests;

/// <summary>One line per entry by default; .NET's JSON console formatter for log shippers when configured.</summary>
public sealed class LoggingFormatTests
{
    static string FormatterOf(string? configured)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = "amqp://localhost",
            ["WeCom:CorpId"] = "ww1",
            ["WeCom:CorpSecret"] = "s",
            ["Logging:Console:FormatterName"] = configured,
        });
        builder.AddProvisioningConsumer();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName!;
    }

    [Fact]
    public void ByDefault_OneLine() => Assert.Equal(Logging.OneLineConsoleFormatter.FormatterName, FormatterOf(null));

    [Fact]
    public void Json_WhenConfigured() => Assert.Equal(ConsoleFormatterNames.Json, FormatterOf("json"));
}
