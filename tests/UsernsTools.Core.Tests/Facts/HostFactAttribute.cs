using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

/// <summary>
/// A fact about the real test machine. It is skipped, with the reason, when a prerequisite is missing here;
/// under CI=true a missing tool that CI installs (unshare, setpriv, bwrap, uidmap) makes it run and fail instead.
/// </summary>
public sealed class HostFactAttribute : FactAttribute
{
    private static readonly string[] s_ciInstalled = { "unshare", "setpriv", "bwrap", "newuidmap", "newgidmap" };

    private readonly string[] _tools;
    private string? _skip;

    public HostFactAttribute(params string[] tools)
    {
        _tools = tools;
    }

    /// <summary>The test writes a security.* attribute or reads root-only files, which only root may do.</summary>
    public bool RequiresRoot { get; set; }

    public override string? Skip
    {
        get => _skip ?? Prerequisite();
        set => _skip = value;
    }

    private string? Prerequisite()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        foreach (var tool in _tools)
        {
            if (PathLookup.Find(tool, Environment.GetEnvironmentVariable("PATH")) is null && !(ci && s_ciInstalled.Contains(tool)))
            {
                return $"{tool} is not installed on this machine.";
            }
        }

        return RequiresRoot && CurrentProcess.EffectiveUid != 0 ? "Needs root." : null;
    }
}
