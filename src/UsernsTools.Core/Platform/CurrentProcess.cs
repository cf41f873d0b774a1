using System.Globalization;

namespace UsernsTools.Platform;

/// <summary>Identity of the running process, read from /proc/self/status (no native call needed).</summary>
internal static class CurrentProcess
{
    private static readonly Lazy<long> s_effectiveUid = new(() => ReadId("Uid:"));

    /// <summary>The effective uid, or -1 when /proc is not mounted.</summary>
    public static long EffectiveUid => s_effectiveUid.Value;

    /// <summary>The process's environment as a dictionary, for requests that take one.</summary>
    public static IReadOnlyDictionary<string, string?> Environment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }

    /// <summary>
    /// The environment a child gets: ours as .NET holds it (with what this process set since), or none when
    /// <paramref name="clear"/>, changed as <paramref name="changes"/> say (a null value removes the variable).
    /// </summary>
    public static Dictionary<string, string> EnvironmentWith(IReadOnlyDictionary<string, string?>? changes, bool clear = false)
    {
        var result = clear
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : Environment().ToDictionary(v => v.Key, v => v.Value ?? "", StringComparer.Ordinal);

        foreach (var (name, value) in changes ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = value;
            }
        }

        return result;
    }

    private static long ReadId(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var parts = line[field.Length..].Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var euid))
                    {
                        return euid;
                    }
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }
}
