using UsernsTools.Display;
using Xunit;

namespace UsernsTools.Tests.Display;

/// <summary>The vectorised search finds exactly the characters <see cref="TerminalText.NeedsEscape"/> names, over all of UTF-16.</summary>
public class TerminalTextTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryCharacterThatActsOnATerminalIsEscapedAndNoOther(bool keepLines)
    {
        var searched = new HashSet<char>(TerminalText.EscapedChars(keepLines));
        for (var c = char.MinValue; ; c++)
        {
            var expected = TerminalText.NeedsEscape(c) && !(keepLines && c is '\n' or '\t');
            Assert.True(expected == searched.Contains(c), $"U+{(int)c:X4}");

            var text = "ab" + c + "cd";
            var escaped = keepLines ? TerminalText.EscapeKeepingLines(text) : TerminalText.Escape(text);
            Assert.True(expected == !ReferenceEquals(text, escaped), $"U+{(int)c:X4} in a text");
            if (c == char.MaxValue)
            {
                break;
            }
        }
    }
}
