using System.Management.Automation;

namespace UsernsTools.Module;

/// <summary>
/// Runs when pwsh imports the module: pwsh does not read the module's deps.json, so the resolver for Mono.Unix's
/// native library must be in place before the first cmdlet calls into it; it is unhooked again on Remove-Module.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => NativeLibraryResolver.Register();

    public void OnRemove(PSModuleInfo psModuleInfo) => NativeLibraryResolver.Unregister();
}
