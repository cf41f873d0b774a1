using System.Diagnostics;

namespace UsernsTools.Tests.Cli;

/// <summary>Runs the built <c>usernstools</c> as a separate process, optionally behind a wrapper argv.</summary>
internal static class Cli
{
    public static string Dll { get; } = FindDll();

    public static string Dotnet { get; } = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet"
        ? p
        : Prerequisites.FindTool("dotnet") ?? "dotnet";

    /// <summary>
    /// A wrapper that runs the command in a nested user namespace whose own user.max_user_namespaces is 0, as its root:
    /// unshare and bwrap then fail with ENOSPC for real.
    /// </summary>
    public static IReadOnlyList<string> NoUserNamespaces { get; } = new[]
    {
        "unshare", "--user", "--map-root-user", "sh", "-c", "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"", "sh",
    };

    public static CliResult Run(params string[] args) => RunWrapped(Array.Empty<string>(), null, args);

    /// <summary>Runs <c>wrapper... dotnet usernstools.dll args...</c> with an optional PATH.</summary>
    public static CliResult RunWrapped(IReadOnlyList<string> wrapper, string? path, params string[] args) => Start(wrapper, path, null, args);

    /// <summary>Runs the command with <paramref name="stdin"/> as its standard input (then closed), behind an optional wrapper.</summary>
    public static CliResult RunWithInput(string stdin, IReadOnlyList<string> wrapper, params string[] args) => Start(wrapper, null, stdin, args);

    private static CliResult Start(IReadOnlyList<string> wrapper, string? path, string? stdin, string[] args)
    {
        var argv = new List<string>(wrapper) { Dotnet, Dll };
        argv.AddRange(args);
        return RunProcess(argv, path, stdin, workingDirectory: null, TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs <paramref name="argv"/> (no shell) in the C locale, without SUDO_UID, and waits up to <paramref name="timeout"/>.</summary>
    public static CliResult RunProcess(IReadOnlyList<string> argv, string? path, string? stdin, string? workingDirectory, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        psi.Environment["LC_ALL"] = "C";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("SUDO_UID");
        if (path is not null)
        {
            psi.Environment["PATH"] = path;
        }

        using var process = Process.Start(psi)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("did not finish: " + string.Join(' ', argv));
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>The built command, as the tests run it.</summary>
    public static string DllPath => FindDll();

    private static string FindDll()
    {
        var cli = Path.Combine(Prerequisites.RepoRoot, "src", "UsernsTools.Cli", "bin");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var dll = Path.Combine(cli, configuration, "net10.0", "usernstools.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build src/UsernsTools.Cli first.", dll);
        }

        return dll;
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
