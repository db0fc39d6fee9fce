namespace Provisioning.Cli;

/// <summary>The broker's AMQP URI: from --broker, else $ConnectionStrings__RabbitMq, else the local default.</summary>
internal static class BrokerAddress
{
    public const string Variable = "ConnectionStrings__RabbitMq";

    public const string Local = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>The URI, or why the text is not one (naming where it came from).</summary>
    public static Uri? Parse(string text, string source, out string? error)
    {
        error = null;
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && uri.Host.Length > 0)
            return uri;
        error = $"{source}: '{Safe(text)}' is not an AMQP URI; write it as amqp://USER:PASSWORD@HOST:5672/ (or amqps://…)";
        return null;
    }

    /// <summary>The default when --broker is not given.</summary>
    public static Uri? Default(out string? error)
    {
        error = null;
        var configured = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(configured) ? new Uri(Local, UriKind.Absolute) : Parse(configured, "$" + Variable, out error);
    }

    /// <summary>The URI with its password left out, for messages: amqp://guest@host:5672/vhost.</summary>
    public static string Safe(Uri uri) =>
        new UriBuilder(uri) { Password = "" }.Uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);

    /// <summary>Text that failed to parse, with anything that looks like a password left out.</summary>
    public static string Safe(string text)
    {
        var at = text.LastIndexOf('@');
        var colon = at > 0 ? text.LastIndexOf(':', at) : -1;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return colon > scheme + 2 && at > colon ? text[..(colon + 1)] + "***" + text[at..] : text;
    }
}
