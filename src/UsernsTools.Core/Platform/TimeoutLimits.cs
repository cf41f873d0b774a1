using System.Globalization;

namespace UsernsTools.Platform;

/// <summary>
/// The range of timeouts both front ends accept, checked before anything starts: a value the timer cannot hold
/// would otherwise fail only after the program was running, and leave it running.
/// </summary>
public static class TimeoutLimits
{
    /// <summary>
    /// The longest run timeout, 30 days. Timers take at most 2^32-2 ms (49.7 days); a run that needs longer
    /// needs no timeout.
    /// </summary>
    public const double MaximumRunSeconds = 30 * 24 * 3600;

    /// <summary>The longest probe timeout: a probe that needs longer is stuck.</summary>
    public const double MaximumProbeSeconds = 3600;

    /// <summary>Why <paramref name="seconds"/> cannot be a timeout (one sentence naming <paramref name="option"/>), or null when it can.</summary>
    public static string? Problem(double seconds, double maximumSeconds, string option)
    {
        if (double.IsFinite(seconds) && seconds > 0 && seconds <= maximumSeconds)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{option} must be more than 0 and at most {maximumSeconds} seconds ({Describe(maximumSeconds)}), not {seconds}.");
    }

    /// <summary>The same check for a TimeSpan (a cmdlet parameter, a spec built in code).</summary>
    public static string? Problem(TimeSpan timeout, double maximumSeconds, string option) =>
        timeout > TimeSpan.Zero && timeout.TotalSeconds <= maximumSeconds
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{option} must be more than 0 and at most {maximumSeconds} seconds ({Describe(maximumSeconds)}), not {timeout.TotalSeconds} seconds.");

    private static string Describe(double seconds) => seconds >= 86400
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400} days")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} minutes");
}
