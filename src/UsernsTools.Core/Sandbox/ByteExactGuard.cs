using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// Refuses a run whose argv or environment could not reach the program byte for byte. The backend is started
/// through System.Diagnostics.Process, which takes strings and encodes them as UTF-8: a word that is not UTF-8
/// (<c>caf\xe9</c> in Latin-1) was already replaced by U+FFFD when .NET read it, and would arrive changed.
/// Refusing says so; running would silently hand the program different bytes.
/// </summary>
internal static class ByteExactGuard
{
    /// <summary>The CLI's own words: any that is not UTF-8 cannot be passed on.</summary>
    public static void ThrowIfArgumentsAreLossy() => ThrowIfArgumentsAreLossy(ProcessBytes.NonUtf8Arguments());

    internal static void ThrowIfArgumentsAreLossy(IReadOnlyList<string> lossy)
    {
        if (lossy.Count > 0)
        {
            throw new UsernsException(
                SandboxErrorIds.NotUtf8,
                UsernsErrorCategory.InvalidArgument,
                $"The argument '{lossy[0]}' is not valid UTF-8; it would reach the program changed (as U+FFFD), so nothing was run. Pass it in UTF-8, or from a file the program reads.",
                lossy[0]);
        }
    }

    /// <summary>Variables the program would inherit from us that are not UTF-8 (unless the spec clears or sets them).</summary>
    public static void ThrowIfEnvironmentIsLossy(NamespaceSpec spec) => ThrowIfEnvironmentIsLossy(spec, ProcessBytes.NonUtf8InheritedVariables());

    internal static void ThrowIfEnvironmentIsLossy(NamespaceSpec spec, IReadOnlyList<string> lossy)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.ClearEnvironment)
        {
            return;
        }

        var passed = lossy.Where(name => !spec.Environment.ContainsKey(name)).ToList();
        if (passed.Count > 0)
        {
            throw new UsernsException(
                SandboxErrorIds.NotUtf8,
                UsernsErrorCategory.InvalidData,
                $"The environment variable {string.Join(", ", passed)} is not valid UTF-8; it would reach the program changed (as U+FFFD), so nothing was run. "
                + "Unset or re-encode it, or start from a clean environment (--clear-env, -ClearEnvironment).",
                passed[0]);
        }
    }
}
