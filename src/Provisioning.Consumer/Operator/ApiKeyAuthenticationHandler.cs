using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.Operator;

/// <summary>
/// API keys (<c>X-Api-Key</c>, or <c>Authorization: Bearer</c> with a key that is not a JWT), and the local operator: a
/// request from this machine without credentials, when <see cref="OperatorOptions.AllowLocalWithoutKey"/>. A challenge
/// answers 401 for the API and sends a browser to the console's sign-in page.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<OperatorOptions> options) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string LocalActor = "local";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (KeyOf(Request) is { } presented)
        {
            return Task.FromResult(Find(options.Value, presented) is { } key
                ? AuthenticateResult.Success(new AuthenticationTicket(Principal(key.Name, key.Role, SchemeName), SchemeName))
                : AuthenticateResult.Fail("the API key is not valid"));
        }
        if (options.Value.AllowLocalWithoutKey && IsLocal(Context))
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal(LocalActor, OperatorOptions.OperatorRole, "Local"), SchemeName)));
        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments("/console", StringComparison.Ordinal))
        {
            Response.Redirect("/console/login?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer, ApiKey";
        return Task.CompletedTask;
    }

    /// <summary>The key presented, if any: <c>X-Api-Key</c>, or a bearer token that is not a JWT (a JWT has two dots).</summary>
    public static string? KeyOf(HttpRequest request)
    {
        if (request.Headers["X-Api-Key"].ToString() is { Length: > 0 } header)
            return header;
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Count(c => c == '.') != 2
            ? authorization["Bearer ".Length..].Trim()
            : null;
    }

    /// <summary>The configured key equal to <paramref name="presented"/>, compared in constant time.</summary>
    public static ApiKeyOptions? Find(OperatorOptions options, string presented)
    {
        var bytes = Encoding.UTF8.GetBytes(presented);
        ApiKeyOptions? found = null;
        foreach (var key in options.ApiKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(key.Key)))
                found = key;
        }
        return found;
    }

    public static ClaimsPrincipal Principal(string name, string role, string authenticationType) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], authenticationType, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The claim of a console session that names the key it was opened with (<see cref="KeyId"/>).</summary>
    public const string KeyClaim = "provisioning:key";

    /// <summary>
    /// A console session's principal: the key's holder and role, and which key (its <see cref="KeyId"/>), so that a key
    /// removed, given a new value (rotated) or another role ends the sessions opened with it (issue 20).
    /// </summary>
    public static ClaimsPrincipal SessionPrincipal(ApiKeyOptions key, string authenticationType)
    {
        var principal = Principal(key.Name, key.Role, authenticationType);
        ((ClaimsIdentity)principal.Identity!).AddClaims([new Claim(KeyClaim, KeyId(key)), new Claim(SessionClaim, Guid.NewGuid().ToString("N"))]);
        return principal;
    }

    /// <summary>The claim of a console session with its own id, recorded as ended when it signs out.</summary>
    public const string SessionClaim = "provisioning:session";

    /// <summary>
    /// Names one key (holder, role and value) without revealing it: the first 16 bytes of a SHA-256 over the three. It is
    /// kept only inside the session cookie, which is encrypted, so the key cannot be read back from it.
    /// </summary>
    public static string KeyId(ApiKeyOptions key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{key.Name}\0{key.Role}\0{key.Key}")).AsSpan(0, 16));

    /// <summary>
    /// From this machine, not through a proxy (which would make every outside request look local), and addressed as
    /// localhost (a page on another site whose name resolves to 127.0.0.1 must not borrow the local operator).
    /// </summary>
    public static bool IsLocal(HttpContext context)
    {
        var request = context.Request;
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            return false;
        if (request.Headers.ContainsKey("X-Forwarded-For") || request.Headers.ContainsKey("Forwarded") || request.Headers.ContainsKey("X-Real-IP"))
            return false;
        return request.Host.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1";
    }
}
