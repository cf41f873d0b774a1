using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// Reads a tool's version from its <c>--version</c> output ("unshare from util-linux 2.38.1",
/// "bubblewrap 0.8.0"), once per path: the answer cannot change while we run, and each run costs a fork.
/// </summary>
internal static partial class ToolVersion
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<Version?>>> s_cache = new(StringComparer.Ordinal);

    /// <summary>The first dotted version number in <paramref name="text"/>, or null.</summary>
    public static Version? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = VersionPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return match.Groups[3].Success
            ? new Version(major, minor, int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture))
            : new Version(major, minor);
    }

    /// <summary>Runs <c>PATH --version</c> the first time a path is asked for; later calls reuse the answer.</summary>
    public static Task<Version?> DetectAsync(string path, IProcessRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(runner);
        var lazy = s_cache.GetOrAdd(path, p => new Lazy<Task<Version?>>(() => RunAsync(p, runner)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private static async Task<Version?> RunAsync(string path, IProcessRunner runner)
    {
        var result = await runner.RunAsync(
            new ProcessRequest(new[] { path, "--version" }) { Environment = ProcessRunner.CLocale, Timeout = TimeSpan.FromSeconds(10) },
            CancellationToken.None).ConfigureAwait(false);
        return result.ExitCode == 0 ? Parse(result.StandardOutput + " " + result.StandardError) : null;
    }

    [GeneratedRegex(@"(\d+)\.(\d+)(?:\.(\d+))?", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
