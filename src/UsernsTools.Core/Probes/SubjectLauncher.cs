using System.Globalization;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Probes;

/// <summary>
/// Builds the request that runs a helper as the subject: as we are when the subject is the caller, and as the subject
/// when root diagnoses someone else (root can always create namespaces, so probing as root would prove nothing about
/// the user). A subject the system's user database knows is switched to for the start by the thread that starts the
/// helper (its uid, its gid and its groups, as <c>setpriv --init-groups</c> would set them; see
/// <see cref="Platform.ThreadCredentials"/>), which spares the helper chain a program; any other goes through
/// <c>setpriv</c> (a bare uid with no entry with <c>--clear-groups</c>).
/// </summary>
internal static class SubjectLauncher
{
    /// <summary>True when helpers must run as another user than ours: root diagnosing someone else.</summary>
    public static bool RunsAsOtherUser(UsernsSubject subject, long callerUid)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return !subject.IsCaller && callerUid == 0 && subject.Uid != 0;
    }

    /// <summary>
    /// False when the caller may not start helpers as the subject: only root starts a program as another user. Results
    /// carry the subject's name, so helpers run as the caller instead would report the caller's rights as the subject's.
    /// </summary>
    public static bool CallerMayRunAs(UsernsSubject subject, long callerUid)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return subject.IsCaller || subject.Uid == callerUid || callerUid == 0;
    }

    /// <summary>What a probe says when <see cref="CallerMayRunAs"/> is false.</summary>
    public static string OnlyRootRunsAs(string user) => $"Only root can run the probes as {user}; run them {WhoMayRunAs(user)}.";

    /// <summary>Who may start helpers as <paramref name="user"/>: "as root", or "as root or as USER".</summary>
    public static string WhoMayRunAs(string user) => user == "root" ? "as root" : $"as root or as {user}";

    /// <summary>
    /// True when helpers must go through setpriv to act as the subject on this machine: root acting as a uid that the
    /// user database does not list under the subject's name with the subject's gid.
    /// </summary>
    public static bool NeedsSetpriv(UsernsSubject subject, long callerUid)
        => RunsAsOtherUser(subject, callerUid) && !SwitchesByName(subject);

    /// <summary>
    /// <see cref="NeedsSetpriv"/> as the subject was recorded (a report from another machine, whose user database is not
    /// this one's): root acting as a bare uid that has no user entry.
    /// </summary>
    public static bool NeedsSetprivAsRecorded(UsernsSubject subject, long callerUid)
        => RunsAsOtherUser(subject, callerUid) && !subject.HasPasswdEntry;

    /// <summary>
    /// The environment of a helper run as another user: the C locale and the system's PATH, as runuser and sudo give a
    /// user they switch to. Root's own PATH names folders of root's (~/.local/bin, ~/.cargo/bin) that the subject may not
    /// enter, and programs of root's choosing: the program a probe runs in its namespaces (true, cat) is the system's.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> OtherUserEnvironment { get; } =
        new Dictionary<string, string?>(ProcessRunner.CLocale, StringComparer.Ordinal) { ["PATH"] = PathLookup.DefaultPath };

    /// <summary>
    /// The request that runs <paramref name="argv"/> as <paramref name="subject"/>, in the C locale from <c>/</c> (the
    /// subject may not be allowed into our working directory), with the system's PATH when that is another user (see
    /// <see cref="OtherUserEnvironment"/>); null when setpriv is needed but missing.
    /// </summary>
    public static ProcessRequest? Request(UsernsSubject subject, long callerUid, string? setprivPath, IReadOnlyList<string> argv, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var request = new ProcessRequest(argv) { Timeout = timeout, Environment = ProcessRunner.CLocale, WorkingDirectory = "/" };
        if (!RunsAsOtherUser(subject, callerUid))
        {
            return request;
        }

        request = request with { Environment = OtherUserEnvironment };
        if (SwitchesByName(subject))
        {
            return request with { RunAs = subject.User };
        }

        if (setprivPath is null)
        {
            return null;
        }

        var wrapped = new List<string>(argv.Count + 5)
        {
            setprivPath,
            "--reuid=" + subject.Uid.ToString(CultureInfo.InvariantCulture),
            "--regid=" + subject.Gid.ToString(CultureInfo.InvariantCulture),
            subject.HasPasswdEntry ? "--init-groups" : "--clear-groups",
            "--",
        };
        wrapped.AddRange(argv);
        return request with { Argv = wrapped };
    }

    // The start looks the name up itself and takes the uid and gid it finds: switch by name only when those are the subject's.
    private static bool SwitchesByName(UsernsSubject subject)
        => subject.HasPasswdEntry
           && subject.User.Length > 0
           && SystemUsers.FindByName(subject.User) is { } entry
           && entry.Uid == subject.Uid
           && entry.Gid == subject.Gid;
}
