namespace Provisioning.Cli;

/// <summary>What the CLI's exit code means (README: "Exit codes"). Scripts branch on these, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Everything done, every outcome a success (or, for a dry run, every command valid).</summary>
    public const int Ok = 0;

    /// <summary>Done, but some command failed or some import row was invalid: the output (and report) say which and why.</summary>
    public const int SomeFailed = 1;

    /// <summary>The command line or the input file is wrong: nothing was published or moved.</summary>
    public const int Usage = 2;

    /// <summary>Published, but not every outcome arrived within --timeout: the commands are still queued, not lost.</summary>
    public const int TimedOut = 3;

    /// <summary>The broker cannot be used (unreachable, login refused) or nothing would receive the commands: nothing was published.</summary>
    public const int Broker = 4;

    /// <summary>A defect of the CLI (EX_SOFTWARE): reported in one line all the same.</summary>
    public const int Internal = 70;

    /// <summary>Interrupted (Ctrl+C): an import resumes from its report when run again.</summary>
    public const int Interrupted = 130;
}
