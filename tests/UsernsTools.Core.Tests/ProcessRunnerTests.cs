using System.Globalization;
using UsernsTools.Platform;
using UsernsTools.Tests.Sandbox;
using Xunit;

namespace UsernsTools.Tests;

/// <summary>What every helper run relies on: its input, its two outputs kept apart, its exit, and nothing left behind.</summary>
public class ProcessRunnerTests
{
    [Fact]
    public async Task ArgumentsReachTheProcessByteForByte()
    {
        var arg = "a b; $(echo x) 'q' \"d\"\nline";
        var result = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "printf", "%s", arg }), CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(arg, result.StandardOutput);
    }

    [Fact]
    public async Task MissingProgramIsReportedNotThrown()
    {
        var result = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "/nonexistent/tool" }), CancellationToken.None);
        Assert.False(result.Started);
        Assert.Equal("/nonexistent/tool: cannot be started: No such file or directory", result.StartError);
    }

    [Fact]
    public async Task AProgramNamedWithoutASlashIsNotTakenFromTheCurrentDirectory()
    {
        // A file named like a tool in the directory the command runs from (a shared /tmp, a cloned repository) must not
        // run in place of the tool: a bare name is looked for on PATH only, as execvp and a shell do.
        var name = "usernstools-cwd-" + Guid.NewGuid().ToString("n");
        var planted = Path.Combine(Directory.GetCurrentDirectory(), name);
        File.WriteAllText(planted, "#!/bin/sh\necho planted\n");
        File.SetUnixFileMode(planted, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var result = await Run(new ProcessRequest(new[] { name }));

            Assert.False(result.Started, "ran " + result.StandardOutput);
            Assert.Equal(name + ": cannot be started: No such file or directory", result.StartError);
        }
        finally
        {
            File.Delete(planted);
        }
    }

    [Fact]
    public async Task AProgramNamedWithoutASlashIsLookedForOnThePathTheHelperIsGiven()
    {
        using var root = new TestRoot();
        root.WithExecutable("/bin/usernstools-path-tool", "#!/bin/sh\necho \"found $PATH\"\n");
        var given = root.Full("/bin");

        var found = await Run(new ProcessRequest(new[] { "usernstools-path-tool" }) { Environment = new Dictionary<string, string?> { ["PATH"] = given } });
        var ours = await Run(new ProcessRequest(new[] { "usernstools-path-tool" }));

        Assert.Equal("found " + given + "\n", found.StandardOutput);
        Assert.False(ours.Started);
    }

    [KernelFact(RequiresRoot = true)]
    public async Task RootRunsAHelperAsAListedUserWithThatUsersGroupsAndNoCapabilities()
    {
        var nobody = SystemUsers.FindByName("nobody")!;
        var result = await Run(new ProcessRequest(new[] { "cat", "/proc/self/status" }) { RunAs = "nobody", WorkingDirectory = "/" });

        Assert.True(result.ExitCode == 0, result.StartError + result.StandardError);
        var status = result.StandardOutput.Split('\n').Select(l => l.Split(':', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1].Trim());
        var uid = nobody.Uid.ToString(CultureInfo.InvariantCulture);
        var gid = nobody.Gid.ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"{uid}\t{uid}\t{uid}\t{uid}", status["Uid"]);
        Assert.Equal($"{gid}\t{gid}\t{gid}\t{gid}", status["Gid"]);

        // initgroups: the user's own groups, none of root's.
        var groups = status["Groups"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("0", groups);
        Assert.Contains(gid, groups);
        Assert.Equal("0000000000000000", status["CapEff"]);
        Assert.Equal("0000000000000000", status["CapPrm"]);
    }

    [KernelFact(RequiresRoot = true)]
    public async Task AHelperStartedAsAnotherUserLeavesTheStartingThreadAndTheOthersRoot()
    {
        // One helper as nobody and one as ourselves, started together again and again: the switch to nobody is the
        // starting thread's alone, for the start alone.
        var ourCapabilities = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        for (var round = 0; round < 10; round++)
        {
            var asNobody = Run(new ProcessRequest(new[] { "id", "-u" }) { RunAs = "nobody" });
            var asRoot = Run(new ProcessRequest(new[] { "cat", "/proc/self/status" }));
            var status = (await asRoot).StandardOutput;
            Assert.Contains("Uid:\t0\t0\t0\t0", status, StringComparison.Ordinal);
            Assert.Contains("Gid:\t0\t0\t0\t0", status, StringComparison.Ordinal);
            Assert.Contains(ourCapabilities, status, StringComparison.Ordinal);
            Assert.Equal(SystemUsers.FindByName("nobody")!.Uid.ToString(CultureInfo.InvariantCulture) + "\n", (await asNobody).StandardOutput);
        }
    }

    [KernelFact(RequiresRoot = true)]
    public void TheThreadThatStartsAHelperAsAnotherUserIsItselfAgainAfterwards()
    {
        static string Identity() => string.Join("\n", File.ReadAllLines("/proc/thread-self/status")
            .Where(l => l.StartsWith("Uid:", StringComparison.Ordinal) || l.StartsWith("Gid:", StringComparison.Ordinal)
                || l.StartsWith("Groups:", StringComparison.Ordinal) || l.StartsWith("Cap", StringComparison.Ordinal)));
        var before = Identity();
        string? during = null;

        var pid = ThreadCredentials.StartAs("nobody", () =>
        {
            during = Identity();
            return PosixSpawn.Start(new[] { "true"u8.ToArray() }, Array.Empty<byte[]>(), null, null, null, null);
        });
        _ = Mono.Unix.Native.Syscall.waitpid(pid, out _, 0);

        Assert.Equal(before, Identity());
        var nobody = SystemUsers.FindByName("nobody")!.Uid.ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"Uid:\t{nobody}\t{nobody}\t0", during, StringComparison.Ordinal);
    }

    [Fact]
    public void WhereTheCLibraryCannotStartAChildInADirectoryTheStartingThreadAloneGoesThere()
    {
        // glibc before 2.29 (RHEL 8) has no posix_spawn_file_actions_addchdir_np: the thread enters the directory by itself.
        var ours = Directory.GetCurrentDirectory();
        string? childDirectory = null;
        string? threadDirectory = null;
        var thread = new Thread(() =>
        {
            using var child = HelperChild.Start("/bin/pwd", new ProcessRequest(new[] { "pwd" }) { WorkingDirectory = "/usr" }, directoryInChild: false);
            child.Input.Dispose();
            using var reader = new StreamReader(child.Output);
            childDirectory = reader.ReadToEnd();
            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.True(HelperChild.ThreadLeftSharedDirectory);
            threadDirectory = Directory.GetCurrentDirectory();
        });
        thread.Start();
        thread.Join();

        Assert.Equal("/usr\n", childDirectory);
        Assert.Equal("/usr", threadDirectory);
        Assert.Equal(ours, Directory.GetCurrentDirectory());
        Assert.False(HelperChild.ThreadLeftSharedDirectory);
    }

    [KernelFact(RequiresRoot = true)]
    public async Task AUserTheDatabaseDoesNotListIsAStartFailure()
    {
        var result = await Run(new ProcessRequest(new[] { "true" }) { RunAs = "no-such-user-usernstools" });

        Assert.False(result.Started);
        Assert.False(string.IsNullOrEmpty(result.StartError));
    }

    [Fact]
    public async Task TimeoutKillsTheWholeTree()
    {
        var result = await ProcessRunner.Instance.RunAsync(
            new ProcessRequest(new[] { "sh", "-c", "sleep 30 & sleep 30" }) { Timeout = TimeSpan.FromMilliseconds(300) },
            CancellationToken.None);
        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task InputReachesTheHelperAndItsOutputAndErrorStayApart()
    {
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "cat; echo err >&2; exit 3" }) { StandardInput = "one\ntwo\n" });

        Assert.True(result.Started);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("one\ntwo\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
    }

    [Fact]
    public async Task LargeInputAndOutputOnBothStreamsDoNotBlockEachOther()
    {
        // Far more than a pipe holds on every stream at once: a runner that wrote all input before reading, or read
        // one stream to its end before the other, would hang here until the timeout.
        var input = new string('i', 1 << 20);
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "head -c 300000 /dev/zero | tr '\\0' e >&2; cat; head -c 300000 /dev/zero | tr '\\0' o" })
        {
            StandardInput = input,
            Timeout = TimeSpan.FromSeconds(30),
        });

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input.Length + 300000, result.StandardOutput.Length);
        Assert.Equal(300000, result.StandardError.Length);
    }

    [Fact]
    public async Task HelperThatDoesNotReadItsInputStillGivesItsExitStatus()
    {
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "echo early; exit 4" }) { StandardInput = new string('x', 1 << 20) });

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("early\n", result.StandardOutput);
    }

    [Fact]
    public async Task AHelperThatHangsBeforeReadingAllItsInputIsKilledAtTheTimeout()
    {
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "sleep 30" }) { StandardInput = new string('x', 1 << 20), Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AHelperThatReadsAllItsInputAndThenHangsIsKilledAtTheTimeout()
    {
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "cat >/dev/null; echo read; sleep 30" }) { StandardInput = "all of it\n", Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.True(result.TimedOut);
        Assert.Equal("read\n", result.StandardOutput);
    }

    [Fact]
    public async Task DeathBySignalIsReportedAs128PlusTheSignal()
    {
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "kill -TERM $$" }));

        Assert.Equal(128 + 15, result.ExitCode);
    }

    [Fact]
    public async Task EnvironmentIsSetAndRemovedAndTheHelperStartsInItsDirectory()
    {
        const string Inherited = "USERNSTOOLS_RUNNER_TEST_INHERITED";
        Environment.SetEnvironmentVariable(Inherited, "kept");
        try
        {
            var result = await Run(new ProcessRequest(new[] { "sh", "-c", "echo \"$LC_ALL ${LANGUAGE-unset} $" + Inherited + "\"; pwd" })
            {
                Environment = ProcessRunner.CLocale,
                WorkingDirectory = "/",
            });

            Assert.Equal("C unset kept\n/\n", result.StandardOutput);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Inherited, null);
        }
    }

    [Fact]
    public async Task TimeoutKillsTheBackgroundChildrenToo()
    {
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "sleep 30 & echo $!; sleep 30" }) { Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(await Gone(result.StandardOutput), "the background sleep outlived the timeout");
    }

    [Fact]
    public async Task WhatAHelperWroteBeforeItWasKilledIsKept()
    {
        var result = await Run(new ProcessRequest(new[] { "sh", "-c", "echo waiting for the lock >&2; echo partial; sleep 30" }) { Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.True(result.TimedOut);
        Assert.Equal("waiting for the lock\n", result.StandardError);
        Assert.Equal("partial\n", result.StandardOutput);
    }

    [Fact]
    public async Task CancellationKillsTheTreeAndSaysSo()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var result = await ProcessRunner.Instance.RunAsync(
            new ProcessRequest(new[] { "sh", "-c", "sleep 30 & echo $!; sleep 30" }) { Timeout = TimeSpan.FromSeconds(30) },
            cancel.Token);

        Assert.True(result.Cancelled);
        Assert.False(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10));
        Assert.True(await Gone(result.StandardOutput), "the background sleep outlived the cancellation");
    }

    [Fact]
    public async Task ACancelledTokenStartsNothing()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "true" }), cancel.Token));
    }

    private static Task<ProcessResult> Run(ProcessRequest request) => ProcessRunner.Instance.RunAsync(request, CancellationToken.None);

    private static Task<bool> Gone(string pidLine)
    {
        var pid = int.Parse(pidLine.Trim(), CultureInfo.InvariantCulture);
        return SandboxTestHost.EventuallyAsync(() => !Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
    }
}

/// <summary>Many helper runs, side by side, leave no descriptor, thread or child behind.</summary>
[Collection(SandboxLoadCollection.Name)]
public class ProcessRunnerLoadTests
{
    [Fact]
    public async Task RunsLeaveNothingBehind()
    {
        async Task Batch(int runs)
        {
            for (var done = 0; done < runs; done += 20)
            {
                var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ProcessRunner.Instance.RunAsync(
                    new ProcessRequest(new[] { "sh", "-c", "cat; echo err >&2" }) { StandardInput = "in\n" },
                    CancellationToken.None)));
                Assert.All(results, r => Assert.Equal(("in\n", "err\n", 0), (r.StandardOutput, r.StandardError, r.ExitCode)));
            }
        }

        await Batch(20);
        var targetsBefore = SandboxLoadTests.DescriptorTargets();
        var childrenBefore = SandboxLoadTests.Children();
        var threadsBefore = SandboxLoadTests.Threads();

        await Batch(200);

        Assert.True(
            await SandboxTestHost.EventuallyAsync(() => SandboxLoadTests.DescriptorTargets().Count <= targetsBefore.Count, TimeSpan.FromSeconds(5)),
            "new descriptors: " + string.Join(", ", SandboxLoadTests.NewTargets(targetsBefore)));
        Assert.Equal(childrenBefore, SandboxLoadTests.Children());

        // Each run's thread ends with its helper; the pool may keep a few of its own.
        Assert.True(
            await SandboxTestHost.EventuallyAsync(() => SandboxLoadTests.Threads() <= threadsBefore + 4, TimeSpan.FromSeconds(5)),
            $"threads {threadsBefore} before, {SandboxLoadTests.Threads()} after");
    }
}
