using System.Text;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>The default view of Get-UsernsDenial shows what a local user put in a process name, and nothing acts on the terminal.</summary>
public sealed class DenialViewRunspaceTests : IDisposable
{
    private readonly ModuleRunspace _shell = new();
    private readonly string _log = Path.Combine(Path.GetTempPath(), "usernstools-view-" + Guid.NewGuid().ToString("N") + ".log");

    public DenialViewRunspaceTests()
    {
        // comm is hex in the audit record because it holds control characters: ESC clears the screen, BEL rings, \n forges a row.
        var comm = Convert.ToHexString(Encoding.UTF8.GetBytes("a\u001b[2J\u0007\nFORGED"));
        File.WriteAllText(
            _log,
            "audit: type=1400 audit(1714039201.000:463): apparmor=\"DENIED\" operation=\"userns_create\" class=\"namespace\" "
            + "info=\"User namespace creation restricted\" error=-13 profile=\"unconfined\" pid=4324 comm=" + comm + "\n");
    }

    [Fact]
    public void TheTableViewEscapesControlCharacters()
    {
        var text = _shell.Text($"Get-UsernsDenial -LiteralPath '{_log}' | Out-String -Width 250");
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.Contains("a\\e[2J\\x07\\nFORGED", text, StringComparison.Ordinal);

        // The object itself keeps what the kernel logged.
        var name = _shell.Text($"(Get-UsernsDenial -LiteralPath '{_log}').ProcessName");
        Assert.Equal("a\u001b[2J\u0007\nFORGED", name);
    }

    public void Dispose()
    {
        _shell.Dispose();
        File.Delete(_log);
    }
}
