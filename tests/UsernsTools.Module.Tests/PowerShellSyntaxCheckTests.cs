using System.Diagnostics;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>tools/psparse really rejects broken PowerShell, and accepts the repository's files.</summary>
public sealed class PowerShellSyntaxCheckTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("usernstools-psparse-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int ExitCode, string Output)> CheckAsync(params string[] files)
    {
        var tool = Path.Combine(RepositoryLayout.Root, "tools", "psparse");
        Assert.True(Directory.Exists(Path.Combine(tool, "node_modules")), "tools/psparse/node_modules is missing: run tools/module-check.sh (it runs npm ci).");
        var start = new ProcessStartInfo("node", new[] { "--no-deprecation", Path.Combine(tool, "check.js") }.Concat(files))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Theory]
    [InlineData("unclosed-block.ps1", "function Get-X {\n    param([string]$A)\n    if ($A) { 'x'\n}\n", 4)]
    [InlineData("unclosed-array.psd1", "@{\n    A = 1\n    B = @(\n}\n", 3)]
    public async Task ABrokenFileFailsWithItsLine(string name, string text, int line)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, text);
        var (exitCode, output) = await CheckAsync(path);
        Assert.Equal(1, exitCode);
        Assert.Contains($"not ok {path}:{line}:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRepositorysPowerShellFilesParse()
    {
        var files = Directory.EnumerateFiles(RepositoryLayout.Root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ps1", StringComparison.Ordinal) || f.EndsWith(".psd1", StringComparison.Ordinal))
            .Where(f => !f.Contains("/node_modules/", StringComparison.Ordinal) && !f.Contains("/out/", StringComparison.Ordinal)
                && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains(files, f => f.EndsWith("/UsernsTools.psd1", StringComparison.Ordinal));
        var (exitCode, output) = await CheckAsync(files);
        Assert.True(exitCode == 0, output);
    }
}
