using System.Runtime.InteropServices;

namespace UsernsTools.Tests.Cli;

/// <summary>
/// The NativeAOT <c>usernstools</c> that the README installs, in out/usernstools-aot/. test.sh publishes it before the
/// xunit run; when it is missing or older than the command's built assembly, it is published here, once per test run.
/// </summary>
public sealed class NativeCli
{
    public static string Directory { get; } = Path.Combine(Prerequisites.RepoRoot, "out", "usernstools-aot");

    public static string RuntimeIdentifier => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    public NativeCli()
    {
        Executable = Path.Combine(Directory, "usernstools");
        if (File.Exists(Executable) && File.GetLastWriteTimeUtc(Executable) >= File.GetLastWriteTimeUtc(Cli.Dll))
        {
            return;
        }

        var publish = Cli.RunProcess(
            new[]
            {
                Cli.Dotnet, "publish", Path.Combine(Prerequisites.RepoRoot, "src", "UsernsTools.Cli"), "-c", "Release", "-f", "net10.0",
                "-r", RuntimeIdentifier, "-o", Directory, "-nologo", "-clp:ErrorsOnly",
            },
            path: null,
            stdin: null,
            workingDirectory: Prerequisites.RepoRoot,
            TimeSpan.FromMinutes(20));
        if (publish.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"dotnet publish of the NativeAOT command failed ({publish.ExitCode}):\n{publish.Stdout}\n{publish.Stderr}");
        }
    }

    public string Executable { get; }

    internal CliResult Run(params string[] args) =>
        Cli.RunProcess(new[] { Executable }.Concat(args).ToList(), path: null, stdin: null, workingDirectory: null, TimeSpan.FromSeconds(60));
}
