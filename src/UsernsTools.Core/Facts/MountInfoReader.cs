using System.Text;

namespace UsernsTools.Facts;

/// <summary>Parses /proc/self/mountinfo (proc(5)): the mounts that cover parts of /proc.</summary>
internal static class MountInfoReader
{
    /// <summary>
    /// Every mount whose mount point lies below /proc, in mountinfo order; null when the text is null (not readable).
    /// Lines that do not parse are skipped: the kernel's format is fixed, so they can only come from a damaged copy.
    /// </summary>
    public static IReadOnlyList<ProcOvermount>? ProcOvermounts(string? mountInfo)
    {
        if (mountInfo is null)
        {
            return null;
        }

        var found = new List<ProcOvermount>();
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 6 || separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }

            var mountPoint = Unescape(fields[4]);
            if (!mountPoint.StartsWith("/proc/", StringComparison.Ordinal))
            {
                continue;
            }

            found.Add(new ProcOvermount
            {
                MountPoint = mountPoint,
                Root = Unescape(fields[3]),
                FileSystemType = Unescape(fields[separator + 1]),
                Source = Unescape(fields[separator + 2]),
                ReadOnly = fields[5].Split(',').Contains("ro", StringComparer.Ordinal),
            });
        }

        return found;
    }

    /// <summary>The kernel writes space, tab, newline and backslash in paths as three-digit octal escapes.</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string s, int start)
    {
        if (start + 3 > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + 3; i++)
        {
            if (s[i] is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }
}
