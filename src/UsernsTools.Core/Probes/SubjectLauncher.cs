using System.Globalization;
using UsernsTools.Facts;

namespace UsernsTools.Probes;

/// <summary>
/// Builds the argv that runs a helper as the subject: unchanged when the subject is the caller, through
/// <c>setpriv</c> when the caller is root diagnosing someone else (root can always create namespaces, so
/// probing as root would prove nothing about the user).
/// </summary>
internal static class SubjectLauncher
{
    /// <summary>True when a helper must be run through setpriv to act as the subject.</summary>
    public static bool NeedsSetpriv(UsernsSubject subject, long callerUid)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return !subject.IsCaller && callerUid == 0 && subject.Uid != 0;
    }

    /// <summary>The argv to run <paramref name="argv"/> as <paramref name="subject"/>; null when setpriv is needed but missing.</summary>
    public static IReadOnlyList<string>? Wrap(UsernsSubject subject, long callerUid, string? setprivPath, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(argv);
        if (!NeedsSetpriv(subject, callerUid))
        {
            return argv;
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
        return wrapped;
    }
}
