using System.CommandLine;
using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Cli;

/// <summary>Options that several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> User() => new("--user", "-u")
    {
        Description = "User name or uid to diagnose (default: the sudo caller, else nobody when run as root, else yourself).",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write JSON (camelCase, enums as strings) instead of text.",
    };

    public static Option<string> Root() => CheckedRoot(new("--root")
    {
        Description = "File-system root to read configuration from (default: /).",
        DefaultValueFactory = _ => "/",
    });

    /// <summary>
    /// A root that cannot be one is a usage error (exit 64) before anything runs: an empty value would silently mean
    /// this machine, and a regular file would fail later with an unrelated reason.
    /// </summary>
    public static Option<string> CheckedRoot(Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            var value = result.Tokens.Count == 0 ? null : result.Tokens[0].Value;
            if (value is null)
            {
                return;
            }

            if (value.Length == 0)
            {
                result.AddError("--root is empty: give the folder that stands for the machine's /, or leave --root out for this machine.");
            }
            else if (File.Exists(value))
            {
                result.AddError($"--root '{value}' is not a directory: give the folder that stands for the machine's /.");
            }
        });
        return option;
    }

    /// <summary>
    /// An empty path is a usage error (exit 64) before anything runs: the engine would take it as the working directory,
    /// and .NET refuses it with an exception that names no option.
    /// </summary>
    public static Option<T> NonEmptyPath<T>(Option<T> option, string advice)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value.Length == 0))
            {
                result.AddError($"{option.Name} is empty: {advice}");
            }
        });
        return option;
    }

    public static Option<double> Timeout()
    {
        var option = new Option<double>("--timeout")
        {
            Description = $"Seconds each probe may take before it is stopped (default: 5, at most {TimeoutLimits.MaximumProbeSeconds}).",
            DefaultValueFactory = _ => 5,
        };
        ValidateTimeout(option, TimeoutLimits.MaximumProbeSeconds);
        return option;
    }

    /// <summary>Refuses NaN, infinities, zero, negatives and values past <paramref name="maximumSeconds"/> at parse time (exit 64), before anything starts.</summary>
    public static void ValidateTimeout<T>(Option<T> option, double maximumSeconds)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            // The tokens rather than GetValueOrDefault, which throws when the value did not convert ('abc'): the
            // parser reports that one itself.
            foreach (var token in result.Tokens)
            {
                if (double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    && TimeoutLimits.Problem(seconds, maximumSeconds, option.Name) is { } problem)
                {
                    result.AddError(problem);
                    return;
                }
            }
        });
    }
}
