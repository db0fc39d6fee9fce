using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Provisioning.WeComSimulator;

/// <summary>Builds the simulator; used by its Program and, in process, by the tests and the benchmark.</summary>
public static class SimulatorApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // WeCom answers in plain UTF-8, not \u escapes.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Services.AddSingleton<FaultInjector>();
        configure?.Invoke(builder);

        var app = builder.Build();
        // Every user/* call, whatever its answer: how a test tells that a re-run made no new WeCom calls.
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/cgi-bin/user", StringComparison.Ordinal))
                http.RequestServices.GetRequiredService<SimulatorState>().CountUserCall();
            return next(http);
        });
        app.MapWeCom();
        app.MapAdmin();
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }

    /// <summary>The address the server listens on, once started (useful with port 0).</summary>
    public static Uri Address(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
