using System.Reflection;
using System.Runtime.InteropServices;

namespace UsernsTools.Platform;

/// <summary>
/// Finds Mono.Posix's native libraries when the module is imported by pwsh, which ignores the module's deps.json:
/// the runtime then looks for libMonoPosixHelper.so only beside the dll and in its own folder, never in
/// <c>runtimes/&lt;rid&gt;/native</c>. Called from the module's initializer; the CLI and tests find it through deps.json.
/// </summary>
internal static class NativeLibraryLoader
{
    private const string HelperName = "MonoPosixHelper";
    private const string HelperFile = "libMonoPosixHelper.so";

    private static readonly object s_gate = new();
    private static bool s_registered;

    /// <summary>Registers the resolver once per process; later calls (a second Import-Module) do nothing.</summary>
    public static void Register()
    {
        lock (s_gate)
        {
            if (s_registered)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Mono.Unix.UnixFileInfo).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // Someone in this process registered a resolver for Mono.Posix already; theirs stays in charge.
            }

            s_registered = true;
        }
    }

    /// <summary>The runtime identifier folder name for this process, or null on an architecture the module does not ship.</summary>
    public static string? RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        _ => null,
    };

    /// <summary>Where the helper library may sit below <paramref name="moduleDirectory"/>, most specific first.</summary>
    public static IReadOnlyList<string> HelperCandidates(string moduleDirectory)
    {
        var rid = RuntimeIdentifier;
        var result = new List<string>();
        if (rid is not null)
        {
            result.Add(Path.Combine(moduleDirectory, "runtimes", rid, "native", HelperFile));
            result.Add(Path.Combine(moduleDirectory, rid, HelperFile));
        }

        result.Add(Path.Combine(moduleDirectory, HelperFile));
        return result;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (IsHelper(libraryName))
        {
            var directory = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
            if (!string.IsNullOrEmpty(directory))
            {
                foreach (var candidate in HelperCandidates(directory))
                {
                    if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
                    {
                        return handle;
                    }
                }
            }
        }
        else if (string.Equals(libraryName, "libc", StringComparison.Ordinal))
        {
            // Mono mapped "libc" through its dllmap; "libc.so" is a linker script on glibc systems, so name the real file.
            if (NativeLibrary.TryLoad("libc.so.6", out var handle))
            {
                return handle;
            }
        }

        // Zero lets the runtime try its own search, so a library found the ordinary way still works.
        return IntPtr.Zero;
    }

    private static bool IsHelper(string libraryName) =>
        string.Equals(libraryName, HelperName, StringComparison.Ordinal)
        || string.Equals(libraryName, "lib" + HelperName, StringComparison.Ordinal)
        || string.Equals(libraryName, HelperFile, StringComparison.Ordinal);
}
