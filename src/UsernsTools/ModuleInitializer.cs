using System.Management.Automation;
using UsernsTools.Platform;

namespace UsernsTools.Module;

/// <summary>
/// Runs when pwsh imports the module: pwsh does not read the module's deps.json, so the native library
/// resolver for Mono.Posix must be in place before the first cmdlet calls into it.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport() => NativeLibraryLoader.Register();
}
