using UsernsTools.Configuration;
using UsernsTools.Facts;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// A small stand-in for SysctlPrecedence.Resolve (the real engine lives in the product and is tested on its own):
/// the documented rules only, so tests about journaling, atomic writes and faults do not depend on it.
/// Tests about precedence itself use the product's engine.
/// </summary>
internal static class MinimalSysctlResolver
{
    private static readonly string[] s_dirs = { "/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d" };

    public static SysctlResolution Resolve(string root, IReadOnlyDictionary<string, string?>? overlay)
    {
        string? Content(string machinePath)
        {
            if (overlay is not null && overlay.TryGetValue(machinePath, out var replaced))
            {
                return replaced;
            }

            var full = root.TrimEnd('/') + machinePath;
            return File.Exists(full) ? File.ReadAllText(full) : null;
        }

        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in s_dirs)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var full = root.TrimEnd('/') + dir;
            if (Directory.Exists(full))
            {
                names.UnionWith(Directory.EnumerateFiles(full, "*.conf").Select(Path.GetFileName)!);
            }

            if (overlay is not null)
            {
                names.UnionWith(overlay.Keys.Where(k => Path.GetDirectoryName(k) == dir && k.EndsWith(".conf", StringComparison.Ordinal)).Select(Path.GetFileName)!);
            }

            foreach (var name in names)
            {
                if (!byName.ContainsKey(name) && Content(dir + "/" + name) is not null)
                {
                    byName[name] = dir + "/" + name;
                }
            }
        }

        var files = byName.Values.ToList();
        if (Content("/etc/sysctl.conf") is not null)
        {
            files.Add("/etc/sysctl.conf");
        }

        var assignments = new Dictionary<string, List<SysctlAssignment>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var lines = Content(file)!.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (line.Length == 0 || line[0] is '#' or ';' || eq <= 0)
                {
                    continue;
                }

                var key = line[..eq].Trim().TrimStart('-').Replace('/', '.');
                if (!assignments.TryGetValue(key, out var list))
                {
                    assignments[key] = list = new List<SysctlAssignment>();
                }

                list.Add(new SysctlAssignment { Key = key, Value = line[(eq + 1)..].Trim(), File = file, Line = i + 1 });
            }
        }

        var keys = assignments.ToDictionary(
            kv => kv.Key,
            kv => new SysctlKeyResolution(kv.Value[^1], kv.Value.Take(kv.Value.Count - 1).Reverse().ToList()),
            StringComparer.Ordinal);
        return new SysctlResolution(keys, files);
    }
}
