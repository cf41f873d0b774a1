using System.Globalization;

namespace UsernsTools.Sandbox;

/// <summary>The part of an argv before the backend: the test prefix, then setpriv when it is needed.</summary>
internal static class LaunchPrefix
{
    /// <summary>
    /// Starts the argv. setpriv is added to switch to <see cref="SandboxToolFacts.RunAs"/> and, when
    /// <paramref name="parentDeathSignal"/>, to give the backend a parent-death signal; setpriv sets that
    /// signal after switching user, because the kernel clears it on a change of credentials.
    /// </summary>
    public static List<string> Start(SandboxToolFacts tools, bool parentDeathSignal)
    {
        var argv = new List<string>(32);
        argv.AddRange(tools.LaunchPrefix);
        var switchUser = tools.RunAs is { } runAs && runAs.Uid != tools.Uid;
        if (!switchUser && !parentDeathSignal)
        {
            return argv;
        }

        argv.Add(tools.SetprivPath!);
        if (switchUser)
        {
            var subject = tools.RunAs!;
            argv.Add("--reuid=" + subject.Uid.ToString(CultureInfo.InvariantCulture));
            argv.Add("--regid=" + subject.Gid.ToString(CultureInfo.InvariantCulture));
            argv.Add(subject.HasPasswdEntry ? "--init-groups" : "--clear-groups");
        }

        if (parentDeathSignal)
        {
            argv.Add("--pdeathsig=KILL");
        }

        argv.Add("--");
        return argv;
    }

    /// <summary>True when <see cref="Start"/> needs setpriv.</summary>
    public static bool NeedsSetpriv(SandboxToolFacts tools, bool parentDeathSignal) =>
        parentDeathSignal || (tools.RunAs is { } subject && subject.Uid != tools.Uid);
}
