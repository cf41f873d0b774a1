using System.Globalization;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Tests.Probes;

/// <summary>Subjects as the subject resolver would build them.</summary>
internal static class Subjects
{
    /// <summary>The calling process's own user: probes run without setpriv.</summary>
    public static UsernsSubject Caller()
    {
        var uid = CurrentProcess.EffectiveUid;
        return new UsernsSubject
        {
            User = uid == 0 ? "root" : uid.ToString(CultureInfo.InvariantCulture),
            Uid = uid,
            Gid = uid,
            IsCaller = true,
            Source = "Caller",
            HasPasswdEntry = uid == 0,
        };
    }

    /// <summary>nobody (65534), with a passwd entry when this machine has one.</summary>
    public static UsernsSubject Nobody()
    {
        var inPasswd = File.ReadLines("/etc/passwd").Any(line => line.StartsWith("nobody:", StringComparison.Ordinal)
            && line.Split(':') is { Length: > 3 } fields && fields[2] == "65534");
        return new UsernsSubject
        {
            User = "nobody",
            Uid = 65534,
            Gid = 65534,
            IsCaller = false,
            Source = "DefaultNobody",
            HasPasswdEntry = inPasswd,
        };
    }
}
