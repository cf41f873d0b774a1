using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// A fact that needs external tools (unshare, setpriv) and root to start as another user: skipped with the reason
/// when they are missing, except under CI=true, where CI installs them and a skip would hide a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NeedsToolsFactAttribute : FactAttribute
{
    public NeedsToolsFactAttribute(params string[] tools)
    {
        Tools = tools;
    }

    public IReadOnlyList<string> Tools { get; }

    /// <summary>The test starts the helper as another user through setpriv, which only root may do.</summary>
    public bool RequiresRoot { get; set; }

    public override string Skip
    {
        get
        {
            if (base.Skip is { } explicitSkip)
            {
                return explicitSkip;
            }

            var missing = Tools.Where(t => PathLookup.Find(t, Environment.GetEnvironmentVariable("PATH")) is null).ToList();
            if (missing.Count > 0 && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                return $"needs {string.Join(", ", missing)}";
            }

            return RequiresRoot && CurrentProcess.EffectiveUid != 0 ? "needs root to start the helper as another user" : null!;
        }

        set => base.Skip = value;
    }
}
