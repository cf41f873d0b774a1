using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mono.Unix.Native;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Platform;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>
/// The NativeAOT command says what the engine says: its <c>status --json</c> is the in-process engine's JSON for the
/// same snapshot, for every recorded machine and for this one. Trimming or AOT compilation that dropped a property,
/// an enum name or a rule would show here as a difference.
/// </summary>
public class NativeCliTests : IClassFixture<NativeCli>
{
    private readonly NativeCli _cli;

    public NativeCliTests(NativeCli cli) => _cli = cli;

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "fixtures"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void PublishedCommandIsOneNativeFile()
    {
        // What the README installs is this one file: no assembly for a .NET runtime to load, no native library to copy.
        var files = Directory.EnumerateFiles(NativeCli.Directory).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(files, f => f!.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".so", StringComparison.Ordinal));

        // A framework-dependent apphost names the .NET host library it loads; a NativeAOT executable has none to load.
        var bytes = File.ReadAllBytes(_cli.Executable);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("libhostfxr.so"u8));
        Assert.Equal(0x7F454C46, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void StatusFromAReportIsTheEnginesJson(string fixture)
    {
        var path = Cli.Fixture(fixture);
        var result = _cli.Run("status", "--json", "--from", path);

        // The command line words its findings for a shell: the engine is asked in the same words.
        var expected = UsernsEngine.GetStatusFromReport(path, FrontEndWords.Cli);
        Assert.True(result.ExitCode == ExpectedExitCode(expected.Verdict), $"exit code {result.ExitCode}: {result.Stderr}");
        AssertSameJson(JsonSerializer.Serialize(expected, UsernsJsonContext.Default.UsernsStatus), result.Stdout);
    }

    [Fact]
    public async Task LiveStatusWithoutProbesIsTheEnginesJson()
    {
        var result = _cli.Run("status", "--json", "--no-probe");

        var expected = await UsernsEngine.GetStatusAsync(new StatusRequest { NoProbe = true, Words = FrontEndWords.Cli }, CancellationToken.None);
        Assert.True(result.ExitCode == ExpectedExitCode(expected.Verdict), $"exit code {result.ExitCode}: {result.Stderr}");
        AssertSameJson(JsonSerializer.Serialize(expected, UsernsJsonContext.Default.UsernsStatus), result.Stdout);
    }

    [Fact]
    public async Task AReaderThatLeavesBeforeTheReportDoesNotMakeTheStatusFail()
    {
        // As `usernstools status --json | head -c 0` does: the read end is closed before the command writes.
        var psi = new System.Diagnostics.ProcessStartInfo(_cli.Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "status", "--json", "--no-probe" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        process.StandardOutput.Close();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var expected = await UsernsEngine.GetStatusAsync(new StatusRequest { NoProbe = true, Words = FrontEndWords.Cli }, CancellationToken.None);
        Assert.Equal("", stderr);
        Assert.Equal(ExpectedExitCode(expected.Verdict), process.ExitCode);
    }

    [Theory]
    [InlineData("/dev/full", FileAccess.Write, "No space left on device")]
    [InlineData("/dev/null", FileAccess.Read, "Bad file descriptor")]
    public void AnOutputThatCannotBeWrittenIsAnErrorThatSaysWhy(string device, FileAccess access, string reason)
    {
        // As `usernstools status >/dev/full` and `usernstools status >&-` do: a full disk, and a descriptor not open for
        // writing. Neither is a fault of the command's to report as an internal error.
        using var root = new TestRoot();
        var error = root.Full("/stderr");
        int exitCode;
        using (var output = File.OpenHandle(device, FileMode.Open, access))
        using (var errors = File.OpenHandle(error, FileMode.CreateNew, FileAccess.Write))
        {
            var argv = new[] { _cli.Executable, "status", "--no-probe" }.Select(Encoding.UTF8.GetBytes).ToList();
            var envp = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => Encoding.UTF8.GetBytes($"{e.Key}={e.Value}")).ToList();
            var pid = PosixSpawn.Start(argv, envp, null, null, (int)output.DangerousGetHandle(), (int)errors.DangerousGetHandle());
            Assert.Equal(pid, Syscall.waitpid(pid, out var status, 0));
            exitCode = Syscall.WEXITSTATUS(status);
        }

        Assert.Equal($"usernstools: Cannot write to standard output: {reason}. [OutputNotWritten]\n", File.ReadAllText(error));
        Assert.Equal(73, exitCode);
    }

    [Theory]
    [InlineData("/dev/full", FileAccess.Write)]
    [InlineData("/dev/null", FileAccess.Read)]
    public void AnErrorOutputThatCannotBeWrittenLeavesTheExitCodeOfTheError(string device, FileAccess access)
    {
        // `usernstools status --from missing 2>/dev/full` (or 2>&-): the error cannot be said, and the command ended
        // in an unhandled exception and exit 134; its exit code still tells what happened.
        int exitCode;
        using (var errors = File.OpenHandle(device, FileMode.Open, access))
        {
            var argv = new[] { _cli.Executable, "status", "--from", "/nonexistent/usernstools-report.json" }.Select(Encoding.UTF8.GetBytes).ToList();
            var envp = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => Encoding.UTF8.GetBytes($"{e.Key}={e.Value}")).ToList();
            var pid = PosixSpawn.Start(argv, envp, null, null, null, (int)errors.DangerousGetHandle());
            Assert.Equal(pid, Syscall.waitpid(pid, out var status, 0));
            Assert.False(Syscall.WIFSIGNALED(status), "killed by signal " + Syscall.WTERMSIG(status));
            exitCode = Syscall.WEXITSTATUS(status);
        }

        Assert.Equal(66, exitCode);
    }

    private static int ExpectedExitCode(Verdict verdict) => verdict switch
    {
        Verdict.Available => 0,
        Verdict.Limited => 1,
        _ => 2,
    };

    private static void AssertSameJson(string expected, string actual)
    {
        var expectedNode = WithoutTimes(JsonNode.Parse(expected));
        var actualNode = WithoutTimes(JsonNode.Parse(actual));
        Assert.True(
            JsonNode.DeepEquals(expectedNode, actualNode),
            $"the native command's JSON differs from the engine's:\n--- engine\n{expectedNode}\n--- native\n{actualNode}");
    }

    /// <summary>The two runs read the machine a few milliseconds apart: only when they did may differ.</summary>
    private static JsonNode? WithoutTimes(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            obj.Remove("collectedAt");
            foreach (var (_, child) in obj.ToList())
            {
                WithoutTimes(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                WithoutTimes(child);
            }
        }

        return node;
    }
}
