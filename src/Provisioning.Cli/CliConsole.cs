using System.Text.Json;
using Spectre.Console;

namespace Provisioning.Cli;

/// <summary>
/// Where the CLI writes: results on stdout (lines and tables for people, one JSON object a line with --json), problems
/// and warnings on stderr, one line each.
/// </summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    // Names and messages stay readable (姓名, not \u59D3\u540D): these lines are read by people as well as by scripts.
    static readonly JsonSerializerOptions JsonLines = new(JsonSerializerOptions.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TextWriter Error { get; } = error;

    /// <summary>For tables and progress bars; plain text when the output is not a terminal.</summary>
    public IAnsiConsole Ansi { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });

    public bool Interactive { get; } = interactive;

    /// <summary>Set by --json: results as JSON lines, no progress bars, no tables.</summary>
    public bool Json { get; set; }

    /// <summary>A line for people (nothing with --json).</summary>
    public void Line(string text)
    {
        if (Json)
            return;
        lock (output)
        {
            // On a terminal through Spectre, so that a line written while a progress bar is drawn lands above it.
            if (Interactive)
                Ansi.WriteLine(text);
            else
                output.WriteLine(text);
        }
    }

    /// <summary>A JSON object on a line of its own (only with --json).</summary>
    public void JsonLine(object value)
    {
        if (!Json)
            return;
        lock (output)
            output.WriteLine(JsonSerializer.Serialize(value, JsonLines));
    }

    public void Warn(string text)
    {
        lock (Error)
            Error.WriteLine($"provisioning-cli: warning: {text}");
    }

    public void Fail(string text)
    {
        lock (Error)
            Error.WriteLine($"provisioning-cli: {text}");
    }
}
