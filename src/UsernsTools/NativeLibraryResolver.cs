using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace UsernsTools.Module;

/// <summary>
/// Finds Mono.Unix's native library for pwsh, which never reads a module's deps.json. Its own fallback probes
/// <c>&lt;dll folder&gt;/&lt;rid&gt;/Mono.Unix.so</c>, without the <c>lib</c> prefix the library has, so the module answers for
/// its own Mono.Unix.dll from <c>&lt;module folder&gt;/&lt;rid&gt;/libMono.Unix.so</c>, and for nothing else.
/// </summary>
internal static class NativeLibraryResolver
{
    private const string LibraryName = "Mono.Unix";
    private const string LibraryFile = "libMono.Unix.so";

    private static readonly object s_gate = new();
    private static bool s_registered;

    /// <summary>The module folder: where pwsh loaded UsernsTools.dll and, beside it, Mono.Unix.dll.</summary>
    private static readonly string s_moduleDirectory = Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location) ?? string.Empty;

    /// <summary>The runtime identifier folder for this process, or null on an architecture the module does not ship.</summary>
    public static string? RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        _ => null,
    };

    /// <summary>Hooks the resolver once; a second Import-Module of the same assembly does nothing.</summary>
    public static void Register()
    {
        lock (s_gate)
        {
            if (!s_registered)
            {
                AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
                s_registered = true;
            }
        }
    }

    /// <summary>Unhooks it when the module is removed.</summary>
    public static void Unregister()
    {
        lock (s_gate)
        {
            if (s_registered)
            {
                AssemblyLoadContext.Default.ResolvingUnmanagedDll -= Resolve;
                s_registered = false;
            }
        }
    }

    private static IntPtr Resolve(Assembly assembly, string libraryName)
    {
        var directory = s_moduleDirectory;
        if (!string.Equals(libraryName, LibraryName, StringComparison.Ordinal)
            || RuntimeIdentifier is not { } rid
            || directory.Length == 0
            || !string.Equals(Path.GetDirectoryName(assembly.Location), directory, StringComparison.Ordinal))
        {
            // Zero lets the runtime, and other resolvers, answer for libraries that are not ours.
            return IntPtr.Zero;
        }

        return NativeLibrary.TryLoad(Path.Combine(directory, rid, LibraryFile), out var handle) ? handle : IntPtr.Zero;
    }
}
