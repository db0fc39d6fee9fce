using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.Tests;

public sealed class OptionsValidationTests
{
    static readonly Dictionary<string, string?> Valid = new()
    {
        ["ConnectionStrings:RabbitMq"] = "amqp://localhost",
        ["WeCom:CorpId"] = "ww1",
        ["WeCom:CorpSecret"] = "s",
    };

    /// <summary>The one line Program prints when the service cannot start with these settings on top of valid ones.</summary>
    static async Task<string> StartupLine(Dictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Valid).AddInMemoryCollection(overrides);
        builder.AddProvisioningConsumer();
        Consumer.Operator.OperatorServiceCollectionExtensions.AddOperatorConsole(builder);
        using var host = builder.Build();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var line = StartupFailure.Describe(error);
        Assert.DoesNotContain('\n', line);
        return line;
    }

    [Theory]
    [InlineData("WeCom:BaseUrl", "notaurl", "WeCom:BaseUrl (environment variable WeCom__BaseUrl) is 'notaurl', which is not an absolute http:// or https:// URL")]
    [InlineData("WeCom:BaseUrl", "ftp://example.com", "is not an absolute http:// or https:// URL")]
    [InlineData("Retry:Delays:0", "abc", "Retry:Delays:0 (environment variable Retry__Delays__0) is 'abc', which is not a duration")]
    [InlineData("Retry:Delays:0", "10ms", "Retry:Delays:0 (environment variable Retry__Delays__0) must be between 100 ms and 7 days")]
    [InlineData("Storage:Provider", "Foo", "Storage:Provider (environment variable Storage__Provider) is 'Foo', which is not one of Sqlite, Postgres, None")]
    [InlineData("WeCom:Timeout", "abc", "WeCom:Timeout (environment variable WeCom__Timeout) is 'abc', which is not a duration")]
    [InlineData("Consumer:PrefetchCount", "many", "Consumer:PrefetchCount (environment variable Consumer__PrefetchCount) is 'many', which is not a whole number")]
    [InlineData("Consumer:PrefetchCount", "0", "Consumer:PrefetchCount must be between 1 and 10000.")]
    [InlineData("Operator:ApiKeys:0:Key", "short", "Operator:ApiKeys:0:Key must be at least 16 characters.")]
    [InlineData("Storage:RequestLog:Retention", "00:00:01", "Storage:RequestLog:Retention must be between 1 minute and 10 years.")]
    public async Task Start_InvalidSetting_OneLineNamesTheSettingAndTheRule(string key, string value, string expected)
    {
        var line = await StartupLine(new() { [key] = value });

        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("DataAnnotation", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("00:00:05", 5_000)]
    public void TryParseDuration_KnownForms_Parse(string text, long milliseconds)
    {
        Assert.True(Transport.RetryOptions.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("5")]
    [InlineData("5 parsecs")]
    [InlineData("")]
    public void TryParseDuration_Others_Fail(string text) => Assert.False(Transport.RetryOptions.TryParseDuration(text, out _));

    [Fact]
    public void Tiers_ConfiguredDelays_ReplaceTheDefaultsAsAWhole()
    {
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Retry:Delays:0"] = "5s", ["Retry:Delays:1"] = "1m" })
            .Build().GetSection("Retry").Get<Transport.RetryOptions>()!;

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)], options.Tiers());
    }

    [Fact]
    public void Tiers_NoneConfigured_AreTheDefaults() =>
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)], new Transport.RetryOptions().Tiers());

    static async Task<OptionsValidationException> StartWith(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddProvisioningConsumer();
        Consumer.Operator.OperatorServiceCollectionExtensions.AddOperatorConsole(builder);
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
