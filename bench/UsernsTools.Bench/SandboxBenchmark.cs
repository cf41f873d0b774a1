using System.Diagnostics;
using System.Globalization;
using UsernsTools.Sandbox;

namespace UsernsTools.Bench;

/// <summary>
/// Per-run overhead of the sandbox runner against starting the very same unshare/bwrap argv with
/// Process.Start (target: within 1.2x), and runs per second for 1,000 runs of <c>true</c>.
/// Options: <c>--runs N</c> (paired samples, default 200), <c>--throughput N</c> (default 1000).
/// </summary>
internal static class SandboxBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs", 200);
        var throughputRuns = Option(args, "--throughput", 1000);
        var tools = await SandboxToolDetector.DetectAsync(CancellationToken.None);
        var runner = new NamespacedProcessRunner(tools);
        Console.WriteLine($"unshare {tools.UnshareVersion} at {tools.UnsharePath}, bwrap {tools.BwrapVersion} at {tools.BwrapPath}, uid {tools.Uid}, {Environment.ProcessorCount} cpus");
        foreach (var backend in new[] { BackendKind.Unshare, BackendKind.Bwrap })
        {
            if ((backend == BackendKind.Bwrap ? tools.BwrapPath : tools.UnsharePath) is null)
            {
                Console.WriteLine($"{backend}: not installed, skipped");
                continue;
            }

            var spec = new NamespaceSpec
            {
                FilePath = "true",
                Backend = backend,
                Mapping = IdentityMapping.RootUser,
                Namespaces = NamespaceKind.Pid,
            };
            var argv = BackendSelector.BuildArgv(spec, tools).Argv;
            Console.WriteLine($"{backend}: {string.Join(' ', argv)}");

            // Warm both paths (JIT, spawner thread, page cache) before measuring.
            for (var i = 0; i < 20; i++)
            {
                await StartDirectlyAsync(argv);
                await runner.RunAsync(spec, ProcessIo.None, CancellationToken.None);
            }

            // Paired and interleaved, so drift in machine load hits both sides alike.
            var direct = new List<double>(runs);
            var engine = new List<double>(runs);
            for (var i = 0; i < runs; i++)
            {
                direct.Add(await TimeAsync(() => StartDirectlyAsync(argv)));
                engine.Add(await TimeAsync(() => runner.RunAsync(spec, ProcessIo.None, CancellationToken.None)));
            }

            var ratio = Median(engine) / Median(direct);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  per run, median of {runs}: Process.Start {Median(direct):F2} ms, engine {Median(engine):F2} ms, ratio {ratio:F3} (target <= 1.2) {(ratio <= 1.2 ? "OK" : "OVER")}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  p90: Process.Start {Percentile(direct, 0.9):F2} ms, engine {Percentile(engine, 0.9):F2} ms"));

            await MeasureKillAsync(runner, backend);

            foreach (var concurrency in new[] { 1, Environment.ProcessorCount })
            {
                var clock = Stopwatch.StartNew();
                var next = 0;
                await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
                {
                    while (Interlocked.Increment(ref next) <= throughputRuns)
                    {
                        await runner.RunAsync(spec, ProcessIo.None, CancellationToken.None);
                    }
                }));
                clock.Stop();
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {throughputRuns} runs of true, {concurrency} at a time: {throughputRuns / clock.Elapsed.TotalSeconds:F0} runs/s"));
            }
        }

        return 0;
    }

    /// <summary>How long after its timeout a sandbox with two sleeps is gone and reaped (target: under a second).</summary>
    private static async Task MeasureKillAsync(NamespacedProcessRunner runner, BackendKind backend)
    {
        var timeout = TimeSpan.FromMilliseconds(200);
        foreach (var pid in new[] { false, true })
        {
            var spec = new NamespaceSpec
            {
                FilePath = "sh",
                ArgumentList = { "-c", "sleep 100 & sleep 100" },
                Backend = backend,
                Mapping = IdentityMapping.RootUser,
                Namespaces = pid ? NamespaceKind.Pid : NamespaceKind.None,
                Timeout = timeout,
            };
            var late = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                var result = await runner.RunAsync(spec, ProcessIo.None, CancellationToken.None);
                late.Add((result.Duration - timeout).TotalMilliseconds);
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  timeout to all gone ({(pid ? "pid namespace" : "no pid namespace")}), median of 10: {Median(late):F1} ms, max {late.Max():F1} ms (target < 1000)"));
        }
    }

    /// <summary>The baseline: what a caller would write by hand to run the same argv and wait for it.</summary>
    private static async Task StartDirectlyAsync(IReadOnlyList<string> argv)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in argv.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        await error;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
