using System.Text;
using UsernsTools.Display;

namespace UsernsTools.Cli;

/// <summary>
/// Wraps stdout or stderr so that nothing written as text can act on the terminal: every control character but
/// line feed and tab is escaped (<see cref="TerminalText"/>). Fields that must stay on one line are escaped
/// where they are written, with <see cref="TerminalText.Escape"/>.
/// </summary>
internal sealed class TerminalTextWriter : TextWriter
{
    private readonly TextWriter _inner;

    private TerminalTextWriter(TextWriter inner)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    public override Encoding Encoding => _inner.Encoding;

    public static TextWriter Wrap(TextWriter writer) => writer is TerminalTextWriter ? writer : new TerminalTextWriter(writer);

    public override void Write(char value)
    {
        if (TerminalText.NeedsEscape(value) && value is not '\n' and not '\t')
        {
            _inner.Write(TerminalText.EscapeKeepingLines(value.ToString()));
        }
        else
        {
            _inner.Write(value);
        }
    }

    public override void Write(string? value) => _inner.Write(TerminalText.EscapeKeepingLines(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => _inner.WriteLine(TerminalText.EscapeKeepingLines(value));

    public override void WriteLine() => _inner.WriteLine();

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync() => _inner.FlushAsync();
}
