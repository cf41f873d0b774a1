using System.Globalization;
using System.Diagnostics;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Sandbox;

namespace UsernsTools.Bench;

/// <summary>
/// How fast a status answer is: in-process diagnosis with probes against the floor of one probe
/// (<c>unshare --user true</c>); the cold NativeAOT <c>usernstools status --json</c> against the combined probe it must
/// at least start (<c>unshare --user --map-root-user --mount --uts --ipc --net --pid --fork --cgroup true</c>, as
/// nobody); <c>status --json --no-probe</c> against an empty NativeAOT program; and lxc-checkconfig and
/// <c>podman info</c> when installed. All measured in the same run, interleaved; printed as medians and ratios. The floor
/// program (bench/FloorApp, published the same way) shows what parsing the command line with System.CommandLine and
/// starting one probe process cost on their own, before any fact is read or any output written; and the floor of a cold
/// status (the same program starting the status's own bwrap run and unshare probe at once and reading the kernel log) shows
/// how much of the time is the children and the kernel, and how much is ours.
/// </summary>
internal static class StatusBenchmark
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: status <published usernstools> <published empty program> <published floor program> [runs]");
            return 64;
        }

        var cli = args[0];
        var empty = args[1];
        var floorApp = args[2];
        var runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 30;

        // The floor the targets are set against: the combined probe as nobody, which a shell (or hyperfine) running as root
        // starts through setpriv.
        var asNobody = CurrentProcess.EffectiveUid == 0
            ? new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" }
            : Array.Empty<string>();
        var combinedProbe = asNobody.Concat(new[] { "unshare", "--user", "--map-root-user", "--mount", "--uts", "--ipc", "--net", "--pid", "--fork", "--cgroup", "true" }).ToArray();
        // The one bwrap run a status starts when it succeeds, as the default subject: its own floor (bwrap pivots into a new
        // root and detaches the old one, each detach waiting for an RCU grace period, which the unshare probe never does).
        var bwrapPath = PathLookup.Find("bwrap", Environment.GetEnvironmentVariable("PATH"));
        var subject = UsernsEngine.ResolveSubject(null);
        var setprivPath = PathLookup.Find("setpriv", Environment.GetEnvironmentVariable("PATH"));
        var bwrapProbe = bwrapPath is null
            ? null
            : SubjectLauncher.Request(subject, CurrentProcess.EffectiveUid, setprivPath, BwrapProber.CombinedArgv(bwrapPath, Enum.GetValues<BwrapMode>()), TimeSpan.FromSeconds(5));

        // The same combined probe started as the status starts its probes (ProcessRunner): as the subject, switched to by
        // the starting thread when the user database lists it (no setpriv in between).
        var combinedProbeAsStarted = SubjectLauncher.Request(
            subject, CurrentProcess.EffectiveUid, setprivPath, new[] { "unshare", "--user", "--map-root-user", "--mount", "--uts", "--ipc", "--net", "--pid", "--fork", "--cgroup", "true" }, TimeSpan.FromSeconds(5))!;
        // What a cold status cannot do without: its combined bwrap run and its combined unshare probe, exactly as it starts
        // them, both at once as the subject, and the read of the kernel log; started by a NativeAOT program that does
        // nothing else (FloorApp children). What the status takes beyond this is its own.
        var unsharePath = PathLookup.Find("unshare", Environment.GetEnvironmentVariable("PATH"));
        var statusUnshare = unsharePath is null
            ? null
            : UnshareProbeSpec.CombinedArgv(unsharePath, UnshareProbeSpec.All.Where(p => p.Name != ProbeNames.Time || File.Exists("/proc/self/ns/time")));
        var statusChildren = new List<string> { "children", subject.Uid.ToString(CultureInfo.InvariantCulture), subject.Gid.ToString(CultureInfo.InvariantCulture) };
        foreach (var argv in new[] { bwrapPath is null ? null : BwrapProber.CombinedArgv(bwrapPath, Enum.GetValues<BwrapMode>()), statusUnshare })
        {
            if (argv is not null)
            {
                statusChildren.Add("--");
                statusChildren.AddRange(argv);
            }
        }

        var lxcCheckconfig = PathLookup.Find("lxc-checkconfig", Environment.GetEnvironmentVariable("PATH"));
        var podman = PathLookup.Find("podman", Environment.GetEnvironmentVariable("PATH"));

        var asCaller = new StatusRequest { User = CurrentUser() };
        var asDefault = new StatusRequest();

        // Warm up the in-process path once (JIT, thread pool, tool versions) as a long-lived pwsh session would be.
        await UsernsEngine.GetStatusAsync(asCaller, CancellationToken.None);
        await UsernsEngine.GetStatusAsync(asDefault, CancellationToken.None);

        // Interleave the measurements so that load from elsewhere on the machine hits each of them alike.
        var floor = new List<double>();
        var userNsOnly = new List<double>();
        var inProcessCaller = new List<double>();
        var inProcessDefault = new List<double>();
        var emptyStart = new List<double>();
        var parseOnly = new List<double>();
        var probeOnly = new List<double>();
        var parseAndProbe = new List<double>();
        var parseAndSpawn = new List<double>();
        var cold = new List<double>();
        var combined = new List<double>();
        var combinedAsStarted = new List<double>();
        var bwrapRun = new List<double>();
        var childrenOnly = new List<double>();
        var coldNoProbe = new List<double>();
        var lxc = new List<double>();
        var podmanInfo = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            floor.Add(Time(() => RunProcess("unshare", "--user", "true")));
            userNsOnly.Add(await TimeAsync(() => UserNamespaceDiagnosisAsync(asCaller.User)));
            inProcessCaller.Add(await TimeAsync(() => UsernsEngine.GetStatusAsync(asCaller, CancellationToken.None)));
            inProcessDefault.Add(await TimeAsync(() => UsernsEngine.GetStatusAsync(asDefault, CancellationToken.None)));
            emptyStart.Add(Time(() => RunProcess(empty)));
            parseOnly.Add(Time(() => RunProcess(floorApp, "parse", "status", "--json")));
            probeOnly.Add(Time(() => RunProcess(floorApp, "probe")));
            parseAndProbe.Add(Time(() => RunProcess(floorApp, "both", "status", "--json")));
            parseAndSpawn.Add(Time(() => RunProcess(floorApp, "both-spawn", "status", "--json")));
            cold.Add(Time(() => RunProcess(cli, "status", "--json")));
            combined.Add(Time(() => RunProcess(combinedProbe[0], combinedProbe[1..])));
            combinedAsStarted.Add(Time(() => RunAsTheStatusDoes(combinedProbeAsStarted)));
            if (bwrapProbe is not null)
            {
                bwrapRun.Add(Time(() => RunAsTheStatusDoes(bwrapProbe)));
            }

            childrenOnly.Add(Time(() => RunProcess(floorApp, statusChildren.ToArray())));
            coldNoProbe.Add(Time(() => RunProcess(cli, "status", "--json", "--no-probe")));
            if (lxcCheckconfig is not null)
            {
                lxc.Add(Time(() => RunProcess(lxcCheckconfig)));
            }

            if (podman is not null)
            {
                podmanInfo.Add(Time(() => RunProcess(podman, "info", "--format", "json")));
            }
        }

        // CPU, which the wall times above cannot show: a run cannot take less than its CPU time divided by the processors,
        // and what a status spends beyond its floor's CPU is what it can still give back. The kernel's own threads (which
        // tear the namespaces down after each run) are counted for none of them.
        var cpu = ChildrenCpuPerRun(
            runs,
            () => RunProcess(cli, "status", "--json"),
            () => RunProcess(floorApp, statusChildren.ToArray()),
            () => RunProcess(combinedProbe[0], combinedProbe[1..]));
        var (cpuCold, cpuChildren, cpuCombined) = (cpu[0], cpu[1], cpu[2]);

        var f = Median(floor);
        var un = Median(userNsOnly);
        var ic = Median(inProcessCaller);
        var id = Median(inProcessDefault);
        var e = Median(emptyStart);
        var pa = Median(parseOnly);
        var pr = Median(probeOnly);
        var pp = Median(parseAndProbe);
        var ps = Median(parseAndSpawn);
        var c = Median(cold);
        var cp = Median(combined);
        var cn = Median(coldNoProbe);
        var cs = Median(combinedAsStarted);
        Console.WriteLine($"runs per measurement (interleaved):          {runs}");
        Console.WriteLine($"processors: {Environment.ProcessorCount}; kernel ring buffer: {RingBufferRecords()} (each status and its floor read them all, and the kernel formats each one they read)");
        Console.WriteLine($"unshare --user true (the floor of one probe): {f,8:0.00} ms");
        Console.WriteLine($"facts + user-namespace probes + diagnosis:    {un,8:0.00} ms  = {un / f:0.00}x the probe floor (target <= 2.00x)");
        Console.WriteLine($"full status (+ bwrap probe, recent denials):  {ic,8:0.00} ms  = {ic / f:0.00}x the probe floor (as the caller)");
        Console.WriteLine($"full status, default subject:                 {id,8:0.00} ms  = {id / f:0.00}x the probe floor (the default subject: {subject.User})");
        Console.WriteLine($"empty NativeAOT program, cold:                {e,8:0.00} ms");
        Console.WriteLine($"floor: System.CommandLine parse only, cold:   {pa,8:0.00} ms  = {pa / e:0.00}x the empty program");
        Console.WriteLine($"floor: one unshare probe via Process, cold:   {pr,8:0.00} ms  = {pr / e:0.00}x the empty program");
        Console.WriteLine($"floor: parse + one probe, cold:               {pp,8:0.00} ms  = {pp / e:0.00}x the empty program (no fact read, nothing written)");
        Console.WriteLine($"floor: parse + one probe via posix_spawn:     {ps,8:0.00} ms  = {ps / e:0.00}x the empty program (the leanest process start)");
        Console.WriteLine($"combined probe{(asNobody.Length > 0 ? " as nobody through setpriv" : "")} (unshare -Ur mount,uts,ipc,net,pid,cgroup): {cp,8:0.00} ms");
        Console.WriteLine($"the same, started as the status starts it:    {cs,8:0.00} ms{(combinedProbeAsStarted.RunAs is { } runAs ? $" (as {runAs}, switched to by the starting thread)" : "")}");
        Console.WriteLine(bwrapRun.Count > 0
            ? $"combined bwrap probe as the status runs it:   {Median(bwrapRun),8:0.00} ms  = {Median(bwrapRun) / cp:0.00}x the combined probe"
            : "combined bwrap probe:                         bwrap not installed");
        var ch = Median(childrenOnly);
        Console.WriteLine($"floor of a cold status (its bwrap run and unshare probe at once, the kernel log read, nothing else): {ch,8:0.00} ms  = {ch / cp:0.00}x the combined probe");
        Console.WriteLine($"usernstools status --json, cold:              {c,8:0.00} ms  = {c / cp:0.00}x the combined probe (target <= 2.50x), {c / cs:0.00}x it as the status starts it, {c / e:0.00}x the empty program, {c - ch:0.00} ms above the floor of a cold status");
        Console.WriteLine($"usernstools status --json --no-probe, cold:   {cn,8:0.00} ms  = {cn / e:0.00}x the empty program (target <= 2.50x)");
        Console.WriteLine($"CPU per run, whole process tree ({CpuRounds} x {runs} runs, in rounds): status --json {cpuCold:0.00} ms, its floor {cpuChildren:0.00} ms ({cpuCold - cpuChildren:0.00} ms more), combined probe {cpuCombined:0.00} ms; on {Environment.ProcessorCount} processors a cold status takes at least {cpuCold / Environment.ProcessorCount:0.00} ms");
        Console.WriteLine(lxc.Count > 0
            ? $"lxc-checkconfig:                              {Median(lxc),8:0.00} ms  = {Median(lxc) / c:0.00}x usernstools status --json"
            : "lxc-checkconfig:                              not installed");
        Console.WriteLine(podmanInfo.Count > 0
            ? $"podman info --format json:                    {Median(podmanInfo),8:0.00} ms  = {Median(podmanInfo) / c:0.00}x usernstools status --json"
            : "podman info --format json:                    not installed");
        return 0;
    }

    private static void RunProcess(string file, params string[] args) => RunProcess(new ProcessRequest(args.Prepend(file).ToArray()));

    /// <summary>Runs the request as the status runs its helpers: through the engine's runner.</summary>
    private static void RunAsTheStatusDoes(ProcessRequest request) => ProcessRunner.Instance.RunAsync(request, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Starts the request's argv as the request's user, with its output read and discarded.</summary>
    private static void RunProcess(ProcessRequest request)
    {
        var psi = new ProcessStartInfo(request.Argv[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in request.Argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        if (request.RunAs is not null)
        {
            psi.UserName = request.RunAs;
        }

        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
    }

    /// <summary>
    /// The diagnosis as the foundation defines it: facts, the unshare probes, the rules. As in the engine's status, the
    /// probes start first and the facts are read while they run.
    /// </summary>
    private static async Task<UsernsStatus> UserNamespaceDiagnosisAsync(string? user)
    {
        var probes = UsernsEngine.TestUserNamespaceAsync(user, TimeSpan.FromSeconds(5), CancellationToken.None);
        var facts = await FactCollector.CollectAsync(
            new FactRequest { User = user, Environment = CurrentProcess.Environment(), CallerUid = CurrentProcess.EffectiveUid },
            CancellationToken.None);
        return Diagnoser.Diagnose(new UsernsSnapshot { Facts = facts, Probes = await probes });
    }

    private static string CurrentUser() => System.Environment.UserName;

    /// <summary>
    /// The CPU time of one run of each command's whole process tree: the CPU of the children this process has waited for
    /// is read before and after a batch of <paramref name="runs"/> runs of one command in a row
    /// (<see cref="ProcessTable.ReadWaitedChildrenTicks"/>, which holds the helpers' and their children's too). The count is
    /// in clock ticks, so each batch may be off by one, which over <see cref="CpuRounds"/> rounds is at most a third of a
    /// millisecond per run at 30 runs. The rounds take the commands in turn, so that a slow phase of the machine hits them
    /// alike.
    /// </summary>
    private static double[] ChildrenCpuPerRun(int runs, params Action[] commands)
    {
        var ticks = new ulong[commands.Length];
        for (var round = 0; round < CpuRounds; round++)
        {
            for (var c = 0; c < commands.Length; c++)
            {
                var before = ChildrenCpuTicks();
                for (var i = 0; i < runs; i++)
                {
                    commands[c]();
                }

                ticks[c] += ChildrenCpuTicks() - before;
            }
        }

        return ticks.Select(t => t * 1000.0 / ClockTicksPerSecond / (CpuRounds * runs)).ToArray();
    }

    /// <summary>How many rounds <see cref="ChildrenCpuPerRun"/> takes.</summary>
    private const int CpuRounds = 3;

    /// <summary>The kernel's USER_HZ, in which /proc reports times: 100 on every Linux architecture's user ABI we build for.</summary>
    private const int ClockTicksPerSecond = 100;

    private static ulong ChildrenCpuTicks() =>
        ProcessTable.ReadWaitedChildrenTicks(Environment.ProcessId) ?? throw new InvalidOperationException("/proc/self/stat is not readable.");

    /// <summary>
    /// How many records the kernel log holds now, and how long one read of them all takes (the median of 21, in this
    /// process): what a status's denial scan costs grows with it, and a machine that has logged little since boot pays less.
    /// </summary>
    private static string RingBufferRecords()
    {
        var text = KernelLog.ReadAll(out var length, out var errno);
        if (text is null)
        {
            return $"not readable here ({PosixNative.ErrorMessage(errno)})";
        }

        var reads = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            reads.Add(Time(() => KernelLog.ReadAll(out _, out _)));
        }

        return $"{text.AsSpan(0, length).Count((byte)'\n')} records, read whole in {Median(reads):0.00} ms";
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var sw = Stopwatch.StartNew();
        await action();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> samples)
    {
        samples.Sort();
        var n = samples.Count;
        return n % 2 == 1 ? samples[n / 2] : (samples[(n / 2) - 1] + samples[n / 2]) / 2;
    }
}
