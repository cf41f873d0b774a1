using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using UsernsTools.Diagnosis;
using UsernsTools.Facts.Denials;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary>
/// <c>usernstools denials</c>: AppArmor, SELinux and seccomp log lines about user namespaces, printed as they are read
/// (one line each, or a JSON array written element by element), so a large log starts printing at once and memory stays flat.
/// </summary>
internal static class DenialsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Option<string[]>("--path")
        {
            Description = "Read these log files (plain or gzip; repeat the option for several) instead of the machine's kernel and audit logs.",
            HelpName = "FILE",
            AllowMultipleArgumentsPerToken = true,
        };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only events at or after this time: an ISO 8601 date and time (local time when no offset is given), or an age such as 30m, 24h, 7d.",
            HelpName = "TIME",
            CustomParser = result => ParseSince(result.Tokens.Count == 0 ? "" : result.Tokens[0].Value, out var value, out var error)
                ? value
                : Fail(result, error),
        };
        var json = CommonOptions.Json();
        var command = new Command("denials", "List AppArmor, SELinux and seccomp log lines about user namespaces, with what each means.")
        {
            paths, since, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            // A file that cannot be read is said once: after the others were read, or, when none could be, by the one
            // error that ends the command (which names every reason).
            var unread = new List<string>();
            var query = new DenialQuery
            {
                Paths = (parse.GetValue(paths) ?? Array.Empty<string>()).Select(p => string.IsNullOrWhiteSpace(p) ? p : Path.GetFullPath(p)).ToArray(),
                Since = parse.GetValue(since),
                Notify = notice =>
                {
                    // Missing optional sources are normal; what could not be read is said on stderr, the data stays on stdout.
                    if (notice.Severity == Severity.Blocking)
                    {
                        unread.Add($"usernstools: error: {notice.Message} [{notice.ErrorId}]");
                    }
                    else if (notice.Severity != Severity.Info)
                    {
                        stderr.WriteLine($"usernstools: warning: {notice.Message} [{notice.ErrorId}]");
                    }
                },
            };
            var denials = UsernsEngine.GetDenials(query, cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJsonArray(stdout, denials);
            }
            else
            {
                foreach (var denial in denials)
                {
                    TextReport.WriteDenial(stdout, denial);
                }
            }

            foreach (var line in unread)
            {
                stderr.WriteLine(line);
            }

            // As grep does: what the other files hold is written, and a file given that could not be read still fails the call.
            return Task.FromResult(unread.Count > 0 ? ExitCodes.NoInput : ExitCodes.Success);
        });
        return command;
    }

    /// <summary>One JSON array, each element serialised and flushed as it is read, never the whole list in memory.</summary>
    private static void WriteJsonArray(TextWriter stdout, IEnumerable<UsernsDenial> denials)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });
        writer.WriteStartArray();
        foreach (var denial in denials)
        {
            JsonSerializer.Serialize(writer, denial, UsernsJsonContext.Default.UsernsDenial);
            Drain(writer, buffer, stdout);
        }

        writer.WriteEndArray();
        Drain(writer, buffer, stdout);
        stdout.WriteLine();
        stdout.Flush();
    }

    private static void Drain(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, TextWriter stdout)
    {
        writer.Flush();
        stdout.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        stdout.Flush();
        buffer.ResetWrittenCount();
    }

    private static DateTimeOffset? Fail(System.CommandLine.Parsing.ArgumentResult result, string error)
    {
        result.AddError(error);
        return null;
    }

    /// <summary>An ISO 8601 time (local when it has no offset) or an age: a number followed by s, m, h or d.</summary>
    internal static bool ParseSince(string text, out DateTimeOffset? value, out string error)
    {
        value = null;
        error = "";
        text = text.Trim();
        if (text.Length >= 2 && "smhd".Contains(text[^1], StringComparison.Ordinal)
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            var seconds = amount * text[^1] switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                _ => 86400,
            };
            var now = DateTimeOffset.Now;
            if (seconds >= (now - DateTimeOffset.MinValue.AddDays(1)).TotalSeconds)
            {
                error = $"--since '{text}' reaches back before the calendar begins (year 1): give a shorter age, or leave --since out for every event.";
                return false;
            }

            value = now - TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
        {
            value = time;
            return true;
        }

        error = $"--since '{text}' is neither a date and time (e.g. 2026-11-22T08:00:00) nor an age (e.g. 24h).";
        return false;
    }
}
