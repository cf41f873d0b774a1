using System.Diagnostics;
using System.Globalization;
using System.Text;
using UsernsTools.Diagnosis;
using UsernsTools.Facts.Denials;

namespace UsernsTools.Bench;

/// <summary>
/// Times the in-process status (facts, unshare probes, bwrap probes and the recent-denial scan side by side) against
/// a baseline of facts and unshare probes alone, measured in the same run; and the status with a small against a
/// large audit.log, which must cost the same because only the end of the current file is read.
/// Options: --runs N (9), --size-mb N (200).
/// </summary>
internal static class StatusPartsBenchmark
{
    public static int Run(string[] args)
    {
        var runs = IntOption(args, "--runs", 9);
        var sizeMb = IntOption(args, "--size-mb", 200);
        var dir = Directory.CreateTempSubdirectory("usernstools-bench-status-");
        try
        {
            var small = Root(dir, "small", 1);
            var large = Root(dir, "large", sizeMb);

            // Warm the JIT, the tool version cache and the page cache once before timing.
            _ = Status(null);
            _ = Baseline();

            var baseline = Times(runs, Baseline);
            var bwrap = Times(runs, () => UsernsEngine.TestBwrapAsync(null, null, TimeSpan.FromSeconds(5), Configuration.FrontEndWords.Cli, CancellationToken.None).GetAwaiter().GetResult());
            var scan = Times(runs, () => RecentDenialReader.Read(new DenialQuery(), DateTimeOffset.Now, CancellationToken.None));
            var live = Times(runs, () => Status(null));
            var smallLog = Times(runs, () => Status(small));
            var largeLog = Times(runs, () => Status(large));

            var status = Status(null);
            Console.WriteLine($"{runs} runs each, medians; {status.BwrapProbes.Count} bwrap probes, {status.Probes.Count} unshare probes, {status.Denials.Count} recent denials");
            Console.WriteLine($"facts + unshare probes (baseline): {Median(baseline),7:F1} ms");
            Console.WriteLine($"facts + bwrap probes alone       : {Median(bwrap),7:F1} ms");
            Console.WriteLine($"recent-denial scan alone         : {Median(scan),7:F1} ms");
            Console.WriteLine($"Get-UsernsStatus (live logs)     : {Median(live),7:F1} ms  ratio {Median(live) / Median(baseline):F2}; "
                + $"sum of the three parts {Median(baseline) + Median(bwrap) + Median(scan):F1} ms (what running them one after the other would cost, facts twice)");
            Console.WriteLine($"  with a 1 MB audit.log          : {Median(smallLog),7:F1} ms");
            Console.WriteLine($"  with a {sizeMb} MB audit.log        : {Median(largeLog),7:F1} ms  ratio to 1 MB {Median(largeLog) / Median(smallLog):F2}");
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static UsernsStatus Status(DenialQuery? logs) =>
        UsernsEngine.GetStatusAsync(new StatusRequest { DenialQuery = logs }, CancellationToken.None).GetAwaiter().GetResult();

    private static object Baseline() =>
        UsernsEngine.TestUserNamespaceAsync((string?)null, TimeSpan.FromSeconds(5), CancellationToken.None).GetAwaiter().GetResult();

    private static List<double> Times(int runs, Func<object> action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            _ = action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>A root whose audit.log holds about <paramref name="sizeMb"/> MB, one line in a thousand a recent denial.</summary>
    private static DenialQuery Root(DirectoryInfo dir, string name, int sizeMb)
    {
        var audit = Directory.CreateDirectory(Path.Combine(dir.FullName, name, "var", "log", "audit"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var file = new FileStream(Path.Combine(audit.FullName, "audit.log"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        long written = 0, line = 0;
        while (written < sizeMb * 1_000_000L)
        {
            var stamp = (now - 3600 + line / 1000).ToString(CultureInfo.InvariantCulture) + ".000:" + line.ToString(CultureInfo.InvariantCulture);
            var text = line % 1000 == 999
                ? $"type=AVC msg=audit({stamp}): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid={line % 100000} comm=\"bwrap\" capability=21  capname=\"sys_admin\"\n"
                : $"type=SYSCALL msg=audit({stamp}): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 items=2 ppid=1 pid={line % 100000} auid=1000 uid=1000 comm=\"cron\" exe=\"/usr/sbin/cron\" key=(null)\n";
            var bytes = Encoding.UTF8.GetBytes(text);
            file.Write(bytes);
            written += bytes.Length;
            line++;
        }

        return new DenialQuery { Root = Path.Combine(dir.FullName, name) };
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
