using System.Text;

namespace UsernsTools.HelpGen;

/// <summary>
/// Turns an about_ topic in platyPS markdown into the plain text Get-Help shows: front matter dropped,
/// headings in capitals, body indented four spaces, code indented eight.
/// </summary>
public static class AboutTopicWriter
{
    public static string Write(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = 0;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            start = Array.FindIndex(lines, 1, l => l.Trim() == "---") + 1;
        }

        var text = new StringBuilder();
        var inCode = false;
        var blank = true;
        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (inCode)
            {
                text.Append(line.Length == 0 ? "" : "        " + line).Append('\n');
                blank = line.Length == 0;
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                text.Append("TOPIC\n    ").Append(line[2..].Trim()).Append('\n');
                blank = false;
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (!blank)
                {
                    text.Append('\n');
                }

                text.Append(line.TrimStart('#').Trim().ToUpperInvariant()).Append('\n');
                blank = false;
            }
            else if (line.Length == 0)
            {
                if (!blank)
                {
                    text.Append('\n');
                }

                blank = true;
            }
            else
            {
                text.Append("    ").Append(line).Append('\n');
                blank = false;
            }
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }
}
