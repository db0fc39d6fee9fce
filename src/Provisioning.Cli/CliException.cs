namespace Provisioning.Cli;

/// <summary>A problem the user can fix: printed as one line on stderr, with its exit code, never as a stack trace.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Usage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
