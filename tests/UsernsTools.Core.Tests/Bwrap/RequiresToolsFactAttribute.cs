using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

/// <summary>
/// A fact that needs tools on PATH (and optionally root). Without them it is skipped with the reason; under CI=true a
/// missing tool that CI installs is not skipped, so the test runs and fails instead of passing silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresToolsFactAttribute : FactAttribute
{
    public RequiresToolsFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => PathLookup.Find(t, Environment.GetEnvironmentVariable("PATH")) is null).ToArray();
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (missing.Length > 0 && !inCi)
        {
            Skip = "Needs " + string.Join(", ", missing) + " on PATH.";
        }
    }

    /// <summary>Tools CI does not install (e.g. setcap): skipped when missing, in CI too.</summary>
    public string[] OptionalTools
    {
        get => _optionalTools;
        set
        {
            _optionalTools = value;
            var missing = value.Where(t => PathLookup.Find(t, Environment.GetEnvironmentVariable("PATH")) is null).ToArray();
            if (missing.Length > 0 && Skip is null)
            {
                Skip = "Needs " + string.Join(", ", missing) + " on PATH.";
            }
        }
    }

    private string[] _optionalTools = Array.Empty<string>();

    /// <summary>Root only (e.g. making a setuid copy): skipped for other users, in CI too, since CI cannot provide it.</summary>
    public bool Root
    {
        get => _root;
        set
        {
            _root = value;
            if (value && CurrentProcess.EffectiveUid != 0 && Skip is null)
            {
                Skip = "Needs root.";
            }
        }
    }

    private bool _root;
}
