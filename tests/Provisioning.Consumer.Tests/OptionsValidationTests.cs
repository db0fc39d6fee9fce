using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.Tests;

public sealed class OptionsValidationTests
{
    static async Task<OptionsValidationException> StartWith(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddProvisioningConsumer();
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public async Task Start_WithoutCorpSecret_NamesTheSetting()
    {
        var error = await StartWith(new() { ["ConnectionStrings:RabbitMq"] = "amqp://localhost", ["WeCom:CorpId"] = "ww1" });

        Assert.Contains("WeCom:CorpSecret is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithoutConnectionString_NamesTheSetting()
    {
        var error = await StartWith(new() { ["WeCom:CorpId"] = "ww1", ["WeCom:CorpSecret"] = "s" });

        Assert.Contains("ConnectionStrings:RabbitMq is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithHttpConnectionString_SaysItMustBeAmqp()
    {
        var error = await StartWith(new() { ["ConnectionStrings:RabbitMq"] = "http://localhost", ["WeCom:CorpId"] = "ww1", ["WeCom:CorpSecret"] = "s" });

        Assert.Contains("must be an amqp:// or amqps:// URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FurtherCorpWithoutSecret_NamesThatCorpsSetting()
    {
        var error = await StartWith(new()
        {
            ["ConnectionStrings:RabbitMq"] = "amqp://localhost",
            ["WeCom:CorpId"] = "ww1",
            ["WeCom:CorpSecret"] = "s",
            ["WeCom:Corps:ww2:CorpSecret"] = "",
        });

        Assert.Contains("WeCom:Corps:ww2:CorpSecret is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ZeroConcurrency_NamesTheSetting()
    {
        var error = await StartWith(new()
        {
            ["ConnectionStrings:RabbitMq"] = "amqp://localhost",
            ["WeCom:CorpId"] = "ww1",
            ["WeCom:CorpSecret"] = "s",
            ["Consumer:ConcurrentMessageLimit"] = "0",
        });

        Assert.Contains("Consumer:ConcurrentMessageLimit must be between 1 and 1000", error.Message, StringComparison.Ordinal);
    }
}
