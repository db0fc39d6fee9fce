using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Operations;

namespace Provisioning.WeCom;

internal static class WeComServiceCollectionExtensions
{
    /// <summary>The WeCom client, its token provider and options (section <c>WeCom</c>, validated at start-up).</summary>
    public static IServiceCollection AddWeCom(this IServiceCollection services)
    {
        services.AddOptions<WeComOptions>()
            .BindConfiguration(WeComOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeComOptions>, WeComOptionsValidator>());

        services.AddOptions<WeComLimitsOptions>()
            .BindConfiguration(WeComLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(limits => limits.MinConcurrentCalls <= limits.MaxConcurrentCalls,
                "WeCom:Limits:MinConcurrentCalls must not be above WeCom:Limits:MaxConcurrentCalls.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProvisioningInstrumentation>();
        services.AddSingleton<WeComThrottle>();
        services.AddSingleton<WeComAvailability>();
        services.AddHealthChecks().AddCheck<WeComHealthCheck>("wecom", tags: ["ready"]);
        services.AddSingleton<CorpDirectory>();
        services.AddSingleton<IWeComTokenClient, WeComTokenClient>();
        services.AddSingleton<IAccessTokenProvider, AccessTokenProvider>();
        services.AddHostedService<CredentialCheck>();

        // No HTTP-level retry: user/create is a POST that may have succeeded when it timed out. Retries belong to
        // the consumer's endpoint policy. The factory's request logging is removed because WeCom URLs carry secrets.
        services.AddHttpClient(WeComHttp.ClientName, ConfigureHttpClient).RemoveAllLoggers();
        services.AddHttpClient<IWeComClient, WeComClient>(ConfigureHttpClient).RemoveAllLoggers();
        return services;
    }

    static void ConfigureHttpClient(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<WeComOptions>>().Value;
        var baseUrl = options.BaseUrl.ToString();
        http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
        http.Timeout = options.Timeout;
    }
}
