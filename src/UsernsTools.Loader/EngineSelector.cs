using System.Management.Automation;
using System.Runtime.Loader;

namespace UsernsTools.Loader;

/// <summary>
/// Picks the engine build (UsernsTools.Core) for the runtime pwsh runs on, before pwsh loads UsernsTools.dll and binds
/// the engine while it lists the cmdlets. On .NET 10 and later (pwsh 7.6 and later) it loads the net10.0 build in
/// <c>net10.0/</c>, precompiled for linux-x64 (ReadyToRun), so that the first cmdlet call need not wait while the JIT
/// compiles the engine. Otherwise, or when the file is missing or an engine is loaded already, pwsh binds the net8.0
/// build beside UsernsTools.dll, as it always could.
/// </summary>
public sealed class EngineSelector : IModuleAssemblyInitializer
{
    internal const string EngineName = "UsernsTools.Core";
    internal const string PrecompiledFolder = "net10.0";
    private const string MonoUnixName = "Mono.Unix";

    private static readonly object s_gate = new();

    public void OnImport()
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(EngineSelector).Assembly.Location) ?? string.Empty;
        lock (s_gate)
        {
            if (PrecompiledEngine(moduleDirectory, Environment.Version.Major, IsLoaded) is not { } engine)
            {
                return;
            }

            // The engine's dependency is in the module folder, not beside the engine where it would be looked for.
            var context = AssemblyLoadContext.GetLoadContext(typeof(EngineSelector).Assembly) ?? AssemblyLoadContext.Default;
            if (!IsLoaded(MonoUnixName))
            {
                context.LoadFromAssemblyPath(Path.Combine(moduleDirectory, MonoUnixName + ".dll"));
            }

            context.LoadFromAssemblyPath(engine);
        }
    }

    /// <summary>
    /// The engine file to load first for a runtime of major version <paramref name="runtimeMajor"/>; null when pwsh
    /// should bind the one beside the module.
    /// </summary>
    internal static string? PrecompiledEngine(string moduleDirectory, int runtimeMajor, Func<string, bool> isLoaded)
    {
        var path = Path.Combine(moduleDirectory, PrecompiledFolder, EngineName + ".dll");
        return runtimeMajor >= 10 && moduleDirectory.Length > 0 && File.Exists(path) && !isLoaded(EngineName) ? path : null;
    }

    private static bool IsLoaded(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => string.Equals(a.GetName().Name, name, StringComparison.Ordinal));
}
