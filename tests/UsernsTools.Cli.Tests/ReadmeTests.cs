using System.Diagnostics;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>The README's first command is the one a new user types on a fresh clone: it must run as written.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public async Task TheReadmesMainCommandRunsAsWritten()
    {
        var line = File.ReadLines(Path.Combine(Prerequisites.RepoRoot, "README.md"))
            .Select(l => l.Trim())
            .First(l => l.StartsWith("dotnet run --project ", StringComparison.Ordinal));
        var argv = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("status", argv[^1]);

        var psi = new ProcessStartInfo(Cli.Dotnet)
        {
            WorkingDirectory = Prerequisites.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("did not finish: " + line);
            }
        }

        var output = await stdout;
        var error = await stderr;

        // 0, 1 and 2 are the verdicts; anything else is the command not running.
        Assert.True(process.ExitCode is >= 0 and <= 2, $"'{line}' exited {process.ExitCode}: {error}{output}");
        Assert.Contains("Verdict: ", output, StringComparison.Ordinal);
    }
}
