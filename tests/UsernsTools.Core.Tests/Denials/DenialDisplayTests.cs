using System.Text;
using UsernsTools.Display;
using UsernsTools.Facts.Denials;
using Xunit;

namespace UsernsTools.Tests.Denials;

/// <summary>What a hostile process name in the log turns into when it is shown as text.</summary>
public class DenialDisplayTests
{
    /// <summary>A 15-byte comm any local user can set (prctl PR_SET_NAME): clear the screen, ring the bell, forge a line.</summary>
    internal const string HostileComm = "a\u001b[2J\u0007\nFORGED\r\u009b\u202e";

    internal static string HostileLine() =>
        "audit: type=1400 audit(1714039201.000:463): apparmor=\"DENIED\" operation=\"userns_create\" class=\"namespace\" "
        + "info=\"User namespace creation restricted\" error=-13 profile=\"unconfined\" pid=4324 comm="
        + Convert.ToHexString(Encoding.UTF8.GetBytes(HostileComm));

    [Fact]
    public void AHexEncodedProcessNameIsDecodedAsItIsButShownEscaped()
    {
        var denial = DenialParser.Parse(HostileLine());
        Assert.NotNull(denial);

        // The object keeps the bytes the kernel logged (JSON escapes them on its own) ...
        Assert.Equal(HostileComm, denial.ProcessName);

        // ... and its text form cannot act on a terminal or break a line.
        var shown = TerminalText.Escape(denial.ProcessName)!;
        Assert.Equal("a\\e[2J\\x07\\nFORGED\\r\\x9b\\u202E", shown);
        Assert.DoesNotContain(shown, TerminalText.NeedsEscape);
        Assert.DoesNotContain(TerminalText.Escape(denial.Meaning)!, TerminalText.NeedsEscape);
    }

    [Theory]
    [InlineData("plain /usr/bin/bwrap", "plain /usr/bin/bwrap")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("\u007f", "\\x7f")]
    [InlineData("\u0000", "\\x00")]
    [InlineData("\u2028", "\\u2028")]
    [InlineData("ünï 漢字", "ünï 漢字")]
    public void EscapeLeavesPrintableTextAlone(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Escape(text));
    }

    [Fact]
    public void EscapeKeepingLinesKeepsLineFeedsAndTabsOnly()
    {
        Assert.Equal("one\n\ttwo \\e]0;title\\x07", TerminalText.EscapeKeepingLines("one\n\ttwo \u001b]0;title\u0007"));
    }
}
