using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

// Usage: ModuleLoadCheck <out/UsernsTools/<version>>
// Prints "ok <check>" or "not ok <check>: <why>" per check and exits 1 when any failed.
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: ModuleLoadCheck <module folder, e.g. out/UsernsTools/0.1.0>");
    return 2;
}

var moduleDir = Path.GetFullPath(args[0]);
var failures = 0;
void Report(string check, string? failure)
{
    Console.WriteLine(failure is null ? $"ok {check}" : $"not ok {check}: {failure}");
    if (failure is not null)
    {
        failures++;
    }
}

Report("module folder has no deps.json", Directory.GetFiles(moduleDir, "*.deps.json").Length == 0 ? null : "a deps.json would hide resolution problems pwsh has");

// pwsh resolves a module's managed dependencies from the module's folder; nothing resolves native ones for it.
AssemblyLoadContext.Default.Resolving += (context, name) =>
{
    var candidate = Path.Combine(moduleDir, name.Name + ".dll");
    return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
};

var module = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(moduleDir, "UsernsTools.dll"));
Report("UsernsTools.dll loads from the module folder", module.GetName().Name == "UsernsTools" ? null : module.FullName);

// The initializer's interface lives in System.Management.Automation, which only pwsh has: read metadata instead of loading the type.
var initializer = FindImplementation(Path.Combine(moduleDir, "UsernsTools.dll"), "IModuleAssemblyInitializer");
Report("module declares an IModuleAssemblyInitializer", initializer is null ? "no type implements it" : null);

var engine = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(moduleDir, "UsernsTools.Core.dll"));
var resolver = module.GetType("UsernsTools.Module.NativeLibraryResolver", throwOnError: true)!;
var fileStatus = engine.GetType("UsernsTools.Platform.UnixFileStatus", throwOnError: true)!;
var unixFile = engine.GetType("UsernsTools.Platform.UnixFile", throwOnError: true)!;
var read = unixFile.GetMethod("Stat", BindingFlags.Public | BindingFlags.Static)!;

object? Stat(string path)
{
    try
    {
        return read.Invoke(null, new object[] { path });
    }
    catch (TargetInvocationException ex) when (ex.InnerException is not null)
    {
        return ex.InnerException;
    }
}

// OnImport only calls this; invoking it directly avoids needing System.Management.Automation, which pwsh provides.
resolver.GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null);

var target = File.Exists("/usr/bin/unshare") ? "/usr/bin/unshare" : "/usr/bin/env";
var (expectedUid, expectedMode) = StatCommand(target);
var status = Stat(target);
if (status is null or Exception)
{
    Report($"engine stats {target}", status is Exception failure ? $"{failure.GetType().Name}: {failure.Message}" : "stat failed");
}
else
{
    var owner = (long)fileStatus.GetProperty("OwnerUid")!.GetValue(status)!;
    var setuid = (bool)fileStatus.GetProperty("IsSetuid")!.GetValue(status)!;
    var expectedSetuid = (expectedMode & 0x800) != 0;
    Report($"engine stats {target}", owner == expectedUid && setuid == expectedSetuid
        ? null
        : $"read owner {owner} setuid {setuid}, stat(1) says owner {expectedUid} setuid {expectedSetuid}");
}

// File capabilities are read with getxattr through Mono.Unix, whose native library must be found in the module folder.
var getXattr = unixFile.GetMethod("GetXattr", BindingFlags.Public | BindingFlags.Static)!;
try
{
    getXattr.Invoke(null, new object[] { target, "security.capability" });
    Report($"engine reads file capabilities of {target} through Mono.Unix", null);
}
catch (TargetInvocationException ex) when (ex.InnerException is not null)
{
    Report($"engine reads file capabilities of {target} through Mono.Unix", $"{ex.InnerException.GetType().Name}: {ex.InnerException.Message}");
}

// The setuid bit must read back as set on a file that has it (a temporary file, so the host is not touched).
var temp = Path.Combine(Path.GetTempPath(), $"usernstools-loadcheck-{Environment.ProcessId}");
File.WriteAllText(temp, "");
try
{
    File.SetUnixFileMode(temp, UnixFileMode.SetUser | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    var setuidStatus = Stat(temp);
    Report("setuid bit reads back as set", setuidStatus is null or Exception
        ? $"stat failed: {setuidStatus}"
        : (bool)fileStatus.GetProperty("IsSetuid")!.GetValue(setuidStatus)! ? null : "IsSetuid was false");
}
finally
{
    File.Delete(temp);
}

// Mono.Unix also imports "libc" directly; Mono mapped that name, .NET must find libc.so.6 for it.
var syscall = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Mono.Unix")).GetType("Mono.Unix.Native.Syscall", throwOnError: true)!;
try
{
    var euid = Convert.ToInt64(syscall.GetMethod("geteuid")!.Invoke(null, null), CultureInfo.InvariantCulture);
    var expected = StatusEuid();
    Report("libc imports resolve (geteuid)", euid == expected ? null : $"geteuid {euid}, /proc/self/status {expected}");
}
catch (TargetInvocationException ex)
{
    Report("libc imports resolve (geteuid)", $"{ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}");
}

return failures == 0 ? 0 : 1;

static string? FindImplementation(string assemblyPath, string interfaceName)
{
    using var stream = File.OpenRead(assemblyPath);
    using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
    var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
    foreach (var handle in metadata.TypeDefinitions)
    {
        var type = metadata.GetTypeDefinition(handle);
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            var iface = metadata.GetInterfaceImplementation(implementation).Interface;
            if (iface.Kind == System.Reflection.Metadata.HandleKind.TypeReference
                && metadata.GetString(metadata.GetTypeReference((System.Reflection.Metadata.TypeReferenceHandle)iface).Name) == interfaceName)
            {
                return metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
            }
        }
    }

    return null;
}

static (long Uid, int Mode) StatCommand(string path)
{
    var info = new ProcessStartInfo("stat", new[] { "-L", "-c", "%u %a", path }) { RedirectStandardOutput = true };
    using var process = Process.Start(info)!;
    var parts = process.StandardOutput.ReadToEnd().Trim().Split(' ');
    process.WaitForExit();
    return (long.Parse(parts[0], CultureInfo.InvariantCulture), Convert.ToInt32(parts[1], 8));
}

static long StatusEuid()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
    return long.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
}
