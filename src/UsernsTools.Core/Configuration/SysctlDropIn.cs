using System.Text;

namespace UsernsTools.Configuration;

/// <summary>Edits the UsernsTools sysctl drop-in: one <c>key = value</c> line per setting, other lines kept as they are.</summary>
internal static class SysctlDropIn
{
    public const string Header =
        "# Managed by UsernsTools (Set-UsernsSetting, Enable-UnprivilegedUserns, Disable-UnprivilegedUserns).\n"
        + "# Get-UsernsBackup lists what it replaced; Restore-UsernsConfiguration puts that back.\n";

    /// <summary>The file text with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public static string With(string? text, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var lines = string.IsNullOrEmpty(text)
            ? Header.TrimEnd('\n').Split('\n').ToList()
            : text.TrimEnd('\n').Split('\n').ToList();
        var assignment = $"{key} = {value}";
        var replaced = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (KeyOf(lines[i]) != key)
            {
                continue;
            }

            if (!replaced)
            {
                lines[i] = assignment;
                replaced = true;
            }
            else
            {
                lines.RemoveAt(i--);
            }
        }

        if (!replaced)
        {
            lines.Add(assignment);
        }

        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>The value the file gives <paramref name="key"/>, or null.</summary>
    public static string? ValueOf(string? text, string key)
    {
        if (text is null)
        {
            return null;
        }

        string? value = null;
        foreach (var line in text.Split('\n'))
        {
            if (KeyOf(line) == key)
            {
                value = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return value;
    }

    /// <summary>The sysctl key a line assigns (slashes read as dots, a leading '-' ignored), or null for comments and blanks.</summary>
    private static string? KeyOf(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] == '#' || trimmed[0] == ';')
        {
            return null;
        }

        var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }

        return trimmed[..equals].Trim().TrimStart('-').Replace('/', '.');
    }
}
