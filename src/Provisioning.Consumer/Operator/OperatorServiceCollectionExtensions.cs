using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.Operator;

internal static class OperatorServiceCollectionExtensions
{
    const string PolicyScheme = "Operator";

    /// <summary>The API and console's services, and who may use them (<c>Operator</c> section, validated at start-up).</summary>
    public static IHostApplicationBuilder AddOperatorConsole(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OperatorOptions>()
            .BindConfiguration(OperatorOptions.SectionName)
            // A key left empty (compose's ${OPERATOR_API_KEY:-} when unset) is no key: nobody signs in with it.
            .PostConfigure(options => options.ApiKeys.RemoveAll(key => string.IsNullOrEmpty(key.Key)))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OperatorQueues>();
        services.AddSingleton<EnterpriseStates>();
        services.AddSingleton<OperatorActions>();
        // The console's session and antiforgery cookies are protected by these keys: kept on disk so that a restart does
        // not sign everyone out; replicas behind one address share the folder (or use sticky sessions).
        services.AddDataProtection()
            .SetApplicationName("provisioning-consumer")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(builder.Configuration[$"{OperatorOptions.SectionName}:KeysPath"]
                ?? Path.Combine(Path.GetDirectoryName(builder.Configuration["Storage:SqlitePath"] ?? "data/idempotency.db") ?? "", "console-keys"))));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ".Provisioning.Antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });

        var jwt = builder.Configuration.GetSection($"{OperatorOptions.SectionName}:Jwt").Get<JwtOptions>();
        var authentication = services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key, bearer token, console session or local operator", policy =>
                policy.ForwardDefaultSelector = context => SchemeOf(context, jwt is not null))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie =>
            {
                cookie.Cookie.Name = ".Provisioning.Console";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/console/login";
                cookie.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else
                        context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                // A session lasts only as long as the very key it was opened with: removed, rotated (same holder, new value)
                // or given another role, it ends the sessions at their next request. Sessions from before the key was
                // recorded in them (no claim) end too: their holders sign in once more. A signed-out session is refused
                // by every replica, even from a copy of its cookie (the store they share records its end).
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var services = context.HttpContext.RequestServices;
                    var options = services.GetRequiredService<IOptions<OperatorOptions>>().Value;
                    var keyId = context.Principal?.FindFirst(ApiKeyAuthenticationHandler.KeyClaim)?.Value;
                    var session = context.Principal?.FindFirst(ApiKeyAuthenticationHandler.SessionClaim)?.Value;
                    if (keyId is null || session is null || !options.ApiKeys.Any(key => ApiKeyAuthenticationHandler.KeyId(key) == keyId)
                        || await services.GetRequiredService<RequestLogStore>().IsSessionEndedAsync(session, context.HttpContext.RequestAborted).ConfigureAwait(false))
                        context.RejectPrincipal();
                };
            });
        if (jwt is not null)
        {
            authentication.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, bearer =>
            {
                bearer.Authority = jwt.Authority;
                bearer.Audience = jwt.Audience;
                bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters.RoleClaimType = jwt.RoleClaim;
                bearer.TokenValidationParameters.NameClaimType = "preferred_username";
            });
        }

        string[] readers = [OperatorOptions.ReaderRole, OperatorOptions.OperatorRole];
        string[] operators = [OperatorOptions.OperatorRole];
        if (jwt is not null)
        {
            readers = [.. readers, jwt.ReaderRoleValue, jwt.OperatorRoleValue];
            operators = [.. operators, jwt.OperatorRoleValue];
        }
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicies.Read, policy => policy.RequireAuthenticatedUser().RequireRole(readers))
            .AddPolicy(OperatorPolicies.Operate, policy => policy.RequireAuthenticatedUser().RequireRole(operators));
        return builder;
    }

    /// <summary>A JWT (three dot-separated parts) to the bearer handler, a key to the key handler, else the console's cookie, else the local check.</summary>
    static string SchemeOf(HttpContext context, bool jwtConfigured)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (jwtConfigured && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Count(c => c == '.') == 2)
            return JwtBearerDefaults.AuthenticationScheme;
        if (ApiKeyAuthenticationHandler.KeyOf(context.Request) is not null)
            return ApiKeyAuthenticationHandler.SchemeName;
        if (context.Request.Cookies.ContainsKey(".Provisioning.Console"))
            return CookieAuthenticationDefaults.AuthenticationScheme;
        return ApiKeyAuthenticationHandler.SchemeName;
    }

    static string? Unavailable(Exception ex) => ex switch
    {
        RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException
            or RabbitMQ.Client.Exceptions.AlreadyClosedException => "RabbitMQ",
        System.Data.Common.DbException or TimeoutException => "the provisioning log's store",
        _ => null,
    };

    /// <summary>The API and the console, behind authentication, with headers that keep the pages out of frames and scripts out of them.</summary>
    public static WebApplication MapOperatorConsole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.Enabled)
            return app;
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // As antiforgery wants it (it would override and warn on every page otherwise).
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
            await next(context).ConfigureAwait(false);
        });
        // The broker or the log's store down: a 503 that says which, not a 500 with nothing in it.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && Unavailable(ex) is { } what)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new ApiError($"{what} is not reachable now: {ex.GetBaseException().Message}")).ConfigureAwait(false);
            }
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapProvisioningApi();
        ConsolePages.MapOperatorConsole(app);
        return app;
    }
}
