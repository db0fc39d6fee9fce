using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer;

/// <summary>Turns an exception thrown while the service starts into one line for the operator.</summary>
internal static partial class StartupFailure
{
    // The configuration binder's own words: "Failed to convert configuration value 'Foo' at 'Storage:Provider' to type '…'".
    [GeneratedRegex(@"'(?<value>[^']*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderConversion();

    // Data annotations wrap our messages: "DataAnnotation validation failed for 'X' members: 'Y' with the error: '…'."
    [GeneratedRegex(@"^DataAnnotation validation failed .*? with the error: '(?<message>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    static string Unwrap(string failure) =>
        DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["message"].Value : failure;

    public static string Describe(Exception exception)
    {
        switch (exception)
        {
            case OptionsValidationException validation:
                return string.Join(" ", validation.Failures.Select(Unwrap));
            case System.Reflection.TargetInvocationException { InnerException: { } target }:
                return Describe(target);
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                return string.Join(" ", aggregate.InnerExceptions.Select(Describe).Distinct());
            case InvalidOperationException when BinderConversion().Match(exception.Message) is { Success: true } match:
                return Conversion(match.Groups["key"].Value, match.Groups["value"].Value, match.Groups["type"].Value);
            default:
                var inner = exception.InnerException is { } cause && cause.Message != exception.Message ? $" ({cause.Message})" : "";
                return $"{exception.Message}{inner} [{exception.GetType().Name}]";
        }
    }

    static string Conversion(string key, string value, string typeName)
    {
        var variable = key.Replace(":", "__", StringComparison.Ordinal);
        // Settings types live in several of our assemblies (the stores', the operations'), all loaded by now.
        var type = Type.GetType(typeName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(assembly => assembly.GetType(typeName)).FirstOrDefault(found => found is not null);
        var expected = type switch
        {
            not null when type == typeof(TimeSpan) => "a duration such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (one day)",
            not null when type == typeof(int) || type == typeof(long) => "a whole number",
            not null when type == typeof(bool) => "true or false",
            not null when type == typeof(Uri) => "an absolute URL",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => $"a value of type {typeName}",
        };
        return $"{key} (environment variable {variable}) is '{value}', which is not {expected}.";
    }
}
