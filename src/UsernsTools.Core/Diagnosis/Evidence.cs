using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>How findings quote the facts and probe results they rest on, the same way everywhere.</summary>
internal static class Evidence
{
    public static string Of(UsernsSetting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var where = string.IsNullOrEmpty(setting.Path) ? "" : $" ({setting.Path})";
        var text = $"{setting.Name} = {setting.RuntimeValue?.Trim() ?? "(unreadable)"}{where}";
        if (setting.PersistedValue is not null)
        {
            text += $"; boot applies {setting.PersistedValue.Trim()} from {setting.PersistedSource ?? "sysctl configuration"}";
        }

        return text;
    }

    public static string Of(UsernsProbeResult probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var command = probe.Command is { Count: > 0 } ? $" (`{string.Join(' ', probe.Command)}`)" : "";
        if (probe.Succeeded)
        {
            return $"probe {probe.Name} succeeded{command}";
        }

        var errno = probe.Errno is Errno.None or Errno.Unknown ? "" : $" with {probe.Errno}";
        var message = string.IsNullOrWhiteSpace(probe.Message) ? "" : $": {probe.Message.Trim()}";
        return $"probe {probe.Name} failed at {probe.Stage}{errno}{command}{message}";
    }

    public static string Of(BwrapProbeResult probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var command = probe.Command is { Count: > 0 } ? $" (`{string.Join(' ', probe.Command)}`)" : "";
        if (probe.Succeeded)
        {
            return $"bwrap probe {probe.Mode} succeeded{command}" + (string.IsNullOrEmpty(probe.UidMap) ? "" : $", uid_map inside: {probe.UidMap}");
        }

        var errno = probe.Errno is Errno.None or Errno.Unknown ? "" : $" with {probe.Errno}";
        var message = string.IsNullOrWhiteSpace(probe.Message) ? "" : $": bwrap: {probe.Message.Trim()}";
        return $"bwrap probe {probe.Mode} failed at {probe.Stage} ({probe.ErrorKind}){errno}{command}{message}";
    }

    /// <summary>The log line as read, with where it was read and when.</summary>
    public static string Of(UsernsDenial denial)
    {
        ArgumentNullException.ThrowIfNull(denial);
        var origin = string.IsNullOrEmpty(denial.Origin) ? "log" : denial.Origin;
        return $"{origin}: {denial.RawLine.Trim()}";
    }

    public static string Of(ToolFact tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (!tool.Found)
        {
            return $"{tool.Name}: not found on PATH";
        }

        var parts = new List<string> { $"{tool.Name}: {tool.Path}" };
        if (tool.Version is not null)
        {
            parts.Add($"version {tool.Version}");
        }

        if (tool.IsSetuid)
        {
            parts.Add(tool.OwnerUid is long owner ? $"setuid (owner uid {owner})" : "setuid");
        }

        if (!string.IsNullOrEmpty(tool.FileCapabilities))
        {
            parts.Add($"file capabilities {tool.FileCapabilities}");
        }

        return string.Join(", ", parts);
    }

    public static string Of(SubordinateIdRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var where = string.IsNullOrEmpty(range.File) ? "" : $"{range.File}:{range.Line}: ";
        return $"{where}{range.User}:{range.Start}:{range.Count}";
    }
}
