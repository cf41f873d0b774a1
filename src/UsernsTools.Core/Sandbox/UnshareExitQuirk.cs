namespace UsernsTools.Sandbox;

/// <summary>
/// util-linux unshare --fork passes a child's death by signal on by re-raising the signal on itself,
/// but some versions (2.38.1 here) first call signal(SIGKILL, SIG_DFL), which always fails: unshare then
/// prints this message and exits 1. Only SIGKILL makes that call fail, so the message means the program
/// was killed by SIGKILL (the OOM killer, or kill -9 from outside) and the run reports 137 like a fixed
/// unshare, or bwrap, would.
/// </summary>
internal static class UnshareExitQuirk
{
    public const string LostSigkillMessage = "unshare: sigprocmask unblock failed";

    public const int SigkillExitCode = 128 + 9;

    public static bool IsLostSigkill(string stderrLine) =>
        stderrLine.StartsWith(LostSigkillMessage, StringComparison.Ordinal);
}
