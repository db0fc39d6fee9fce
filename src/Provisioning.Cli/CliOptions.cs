using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Provisioning.Cli;

/// <summary>The options and arguments the verbs share, each with a parser whose error names the option and the rule.</summary>
internal static class CliOptions
{
    /// <summary>--broker, on every verb: checked when parsed, so a bad URI never reaches a connection attempt.</summary>
    public static Option<Uri> Broker() => new("--broker")
    {
        Description = $"The RabbitMQ broker, as an AMQP URI [default: ${BrokerAddress.Variable}, else {BrokerAddress.Local}]",
        HelpName = "AMQP_URI",
        Recursive = true,
        // No default value here: help would print it, and $ConnectionStrings__RabbitMq may hold a real password.
        CustomParser = result => BrokerAddress.Parse(result.Tokens[0].Value, "--broker", out var error) ?? Error<Uri>(result, error!),
    };

    /// <summary>The broker to use: --broker, else the default (whose error, for a bad $ConnectionStrings__RabbitMq, names it).</summary>
    public static Uri BrokerOf(ParseResult parse, Option<Uri> broker) =>
        parse.GetValue(broker) ?? BrokerAddress.Default(out var error) ?? throw new CliException(error!);

    public static Option<bool> Json() => new("--json")
    {
        Description = "Results as JSON, one object a line, for scripts (no progress bars or tables; errors stay on stderr)",
        Recursive = true,
    };

    /// <summary>A positive duration: 90, 90s, 10m, 2h, 1d or 00:30:00.</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan? defaultValue = null)
    {
        var option = new Option<TimeSpan>(name)
        {
            Description = description,
            HelpName = "DURATION",
            CustomParser = result => Durations.TryParse(result.Tokens[0].Value, out var duration) && duration > TimeSpan.Zero
                ? duration
                : Error<TimeSpan>(result, $"{name}: '{result.Tokens[0].Value}' is not a duration more than 0; write 90, 90s, 10m, 2h, 1d or 00:30:00"),
        };
        if (defaultValue is { } value)
            option.DefaultValueFactory = _ => value;
        return option;
    }

    public static Option<Guid[]> RequestIds() => new("--request-id")
    {
        Description = "Only the command with this request id (repeatable)",
        HelpName = "GUID",
        CustomParser = result => result.Tokens.Select(t => Guid.TryParse(t.Value, out var id) ? id : Error<Guid>(result, $"--request-id: '{t.Value}' is not a GUID")).ToArray(),
    };

    public static Option<string[]> UserIds() => new("--user-id")
    {
        Description = "Only commands for this member's userid (repeatable)",
        HelpName = "USERID",
    };

    public static Option<int[]> ErrCodes() => new("--errcode")
    {
        Description = "Only messages that failed with this WeCom errcode (repeatable)",
        HelpName = "CODE",
        CustomParser = result => result.Tokens.Select(t => int.TryParse(t.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
            ? code : Error<int>(result, $"--errcode: '{t.Value}' is not a WeCom errcode (a whole number such as 45009)")).ToArray(),
    };

    public static Option<double> Rate() => new("--rate")
    {
        Description = "Messages a second put back, so that a large replay does not flood WeCom [default: as fast as confirms come]",
        HelpName = "PER_SECOND",
        CustomParser = result => double.TryParse(result.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && double.IsFinite(rate) && rate > 0
            ? rate
            : Error<double>(result, $"--rate: '{result.Tokens[0].Value}' is not a number of messages a second more than 0"),
    };

    /// <summary>A file that exists: a missing one, or a directory, is a usage error naming it.</summary>
    public static Argument<FileInfo> ExistingFile(string description)
    {
        var argument = new Argument<FileInfo>("FILE") { Description = description };
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is not { } file)
                return;
            if (Directory.Exists(file.FullName))
                result.AddError($"'{file}' is a directory; give the path of a file");
            else if (!file.Exists)
                result.AddError($"no such file: '{file}' (looked in {Path.GetDirectoryName(file.FullName)})");
        });
        return argument;
    }

    static T Error<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
