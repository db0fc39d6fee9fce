using System.ComponentModel.DataAnnotations;

namespace Provisioning.Consumer.Operator;

/// <summary>Section <c>Operator</c>: the HTTP API (<c>/api</c>) and the console (<c>/console</c>), and who may use them.</summary>
public sealed class OperatorOptions : IValidatableObject
{
    public const string SectionName = "Operator";

    public const string ReaderRole = "reader";
    public const string OperatorRole = "operator";

    /// <summary>Whether the API and console are served at all.</summary>
    /// <value>The default is true (and the service listens on loopback only, see <c>Urls</c>).</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether a request from this machine (loopback, no proxy header, a localhost Host) needs no credentials: it acts
    /// as an operator named "local". Requests from elsewhere always need a key or a token.
    /// </summary>
    /// <value>The default is true.</value>
    public bool AllowLocalWithoutKey { get; set; } = true;

    /// <summary>Where the keys that protect the console's cookies are kept (shared by replicas behind one address).</summary>
    /// <value>The default is console-keys in the idempotency file's folder (data/ under the working directory).</value>
    public string? KeysPath { get; set; }

    /// <summary>API keys (<c>X-Api-Key</c> header, <c>Authorization: Bearer</c>, or the console's sign-in), each with a role.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>OIDC access tokens, validated by ASP.NET Core's JWT bearer handler; unset: not accepted.</summary>
    public JwtOptions? Jwt { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            if (string.IsNullOrWhiteSpace(key.Name))
                yield return new ValidationResult($"Operator:ApiKeys:{i}:Name is required (it names the key's holder in the audit log).");
            if (key.Key is null || key.Key.Length < 16)
                yield return new ValidationResult($"Operator:ApiKeys:{i}:Key must be at least 16 characters.");
            if (key.Role is not (ReaderRole or OperatorRole))
                yield return new ValidationResult($"Operator:ApiKeys:{i}:Role must be '{ReaderRole}' or '{OperatorRole}', not '{key.Role}'.");
        }
        if (ApiKeys.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count() != ApiKeys.Count)
            yield return new ValidationResult("Operator:ApiKeys: two keys are the same.");
        if (Jwt is not null && (string.IsNullOrWhiteSpace(Jwt.Authority) || string.IsNullOrWhiteSpace(Jwt.Audience)))
            yield return new ValidationResult("Operator:Jwt:Authority and Operator:Jwt:Audience are both required when Operator:Jwt is set.");
    }
}

/// <summary>One API key.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds it, as the audit log names them.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>The key itself (at least 16 characters); from the environment or a secret store, never the repository.</summary>
    public string Key { get; set; } = "";

    /// <summary><c>reader</c> (look) or <c>operator</c> (look, replay, release, reject).</summary>
    public string Role { get; set; } = OperatorOptions.ReaderRole;
}

/// <summary>OIDC JWT validation.</summary>
public sealed class JwtOptions
{
    /// <summary>The issuer, whose metadata and signing keys are fetched (https).</summary>
    public string Authority { get; set; } = "";

    public string Audience { get; set; } = "";

    /// <summary>The claim that holds the roles.</summary>
    /// <value>The default is "roles".</value>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The role value that reads; <see cref="OperatorRoleValue"/> acts too.</summary>
    public string ReaderRoleValue { get; set; } = "provisioning.reader";

    public string OperatorRoleValue { get; set; } = "provisioning.operator";

    /// <summary>Only for a test issuer on http.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
