using System.Diagnostics;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>
/// The built folder works when loaded as pwsh loads it: a separate plain process (tools/ModuleLoadCheck) with no
/// deps.json, which registers the native resolver as OnImport does, stats files and reads file capabilities through Mono.Unix.
/// </summary>
public class ModuleLoadTests
{
    [Fact]
    public async Task BuiltModuleLoadsAndReachesMonoUnixWithoutDepsJson()
    {
        var checker = Path.Combine(RepositoryLayout.Root, "tools", "ModuleLoadCheck", "bin", RepositoryLayout.Configuration, "net10.0", "ModuleLoadCheck.dll");
        Assert.True(File.Exists(checker), $"{checker} is not built.");
        var start = new ProcessStartInfo("dotnet", new[] { checker, RepositoryLayout.ModuleDirectory })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("ok engine stats", output, StringComparison.Ordinal);
        Assert.Contains("through Mono.Unix", output, StringComparison.Ordinal);
        Assert.Contains("ok setuid bit reads back as set", output, StringComparison.Ordinal);
        Assert.Contains("ok libc imports resolve", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not ok", output, StringComparison.Ordinal);
    }
}
