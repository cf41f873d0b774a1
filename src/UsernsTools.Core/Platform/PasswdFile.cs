using System.Globalization;

namespace UsernsTools.Platform;

/// <summary>Looks users up in /etc/passwd below a file-system root (and through NSS when the root is the running machine).</summary>
internal static class PasswdFile
{
    public const string MachinePath = "/etc/passwd";

    public static PasswdEntry? FindByName(string root, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(root, e => string.Equals(e.Name, name, StringComparison.Ordinal))
            ?? (MachineRoot.IsLive(root) ? SystemUsers.FindByName(name) : null);
    }

    public static PasswdEntry? FindByUid(string root, long uid) =>
        Find(root, e => e.Uid == uid) ?? (MachineRoot.IsLive(root) ? SystemUsers.FindByUid(uid) : null);

    /// <summary>Every well-formed entry of the file below <paramref name="root"/> (no NSS).</summary>
    public static IEnumerable<PasswdEntry> ReadAll(string root)
    {
        var text = RootedPath.ReadText(root, MachinePath);
        if (text is null)
        {
            yield break;
        }

        foreach (var raw in text.Split('\n'))
        {
            if (Parse(raw) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary><c>name:password:uid:gid:gecos:home:shell</c>; NIS compat lines (+/-) and comments are not accounts.</summary>
    internal static PasswdEntry? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.TrimEnd('\r');
        if (line.Length == 0 || line[0] is '#' or '+' or '-')
        {
            return null;
        }

        var fields = line.Split(':');
        if (fields.Length < 4 || fields[0].Length == 0
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return null;
        }

        return new PasswdEntry(fields[0], uid, gid);
    }

    private static PasswdEntry? Find(string root, Func<PasswdEntry, bool> match)
    {
        foreach (var entry in ReadAll(root))
        {
            if (match(entry))
            {
                return entry;
            }
        }

        return null;
    }
}
