using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>The README's first command is the one a new user types on a fresh clone: it must run as written.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void TheReadmesMainCommandRunsAsWritten()
    {
        var line = File.ReadLines(Path.Combine(Prerequisites.RepoRoot, "README.md"))
            .Select(l => l.Trim())
            .First(l => l.StartsWith("dotnet run --project ", StringComparison.Ordinal));
        var argv = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("status", argv[^1]);
        argv[0] = Cli.Dotnet;

        var result = Cli.RunProcess(argv, path: null, stdin: null, Prerequisites.RepoRoot, TimeSpan.FromMinutes(5));

        // 0, 1 and 2 are the verdicts; anything else is the command not running.
        Assert.True(result.ExitCode is >= 0 and <= 2, $"'{line}' exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        Assert.Contains("Verdict: ", result.Stdout, StringComparison.Ordinal);
    }
}
