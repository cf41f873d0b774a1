using System.Diagnostics;
using System.Globalization;
using System.Text;
using UsernsTools.Facts.Denials;

namespace UsernsTools.Bench;

/// <summary>
/// Scans a generated kernel log (default 200 MB, 0.1% of lines user namespace denials) with DenialLogReader and with
/// <c>grep -c 'apparmor="DENIED"'</c>, reports MB/s, the ratio, and peak working set after a small and a large
/// file (it must not grow with the file).
/// Options: --size-mb N (200), --runs N (5), --keep (leave the files in place).
/// </summary>
internal static class DenialsBenchmark
{
    private static readonly string[] s_noise =
    {
        "kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=10.0.2.2 DST=10.0.2.15 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID={0} DF PROTO=TCP SPT=443 DPT=51234 WINDOW=64240 RES=0x00 SYN URGP=0",
        "kernel: usb 1-1: new high-speed USB device number {0} using xhci_hcd",
        "kernel: EXT4-fs (vda1): mounted filesystem {0} with ordered data mode. Quota mode: none.",
        "kernel: audit: type=1400 audit(1714039200.{1}:{0}): apparmor=\"STATUS\" operation=\"profile_replace\" info=\"same as current profile, skipping\" profile=\"unconfined\" name=\"/usr/bin/man\" pid={0} comm=\"apparmor_parser\"",
        "kernel: audit: type=1400 audit(1714039200.{1}:{0}): apparmor=\"ALLOWED\" operation=\"open\" class=\"file\" profile=\"/usr/sbin/cupsd\" name=\"/etc/ssl/openssl.cnf\" pid={0} comm=\"cupsd\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0",
        "kernel: IPv6: ADDRCONF(NETDEV_CHANGE): veth{0}: link becomes ready",
        "kernel: docker0: port 1(veth{0}) entered forwarding state",
        "kernel: TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies. Check SNMP counters. id={0}",
        "kernel: nvme nvme0: I/O {0} QID 3 timeout, completion polled",
        "kernel: perf: interrupt took too long ({0} > 2500), lowering kernel.perf_event_max_sample_rate to 79000",
    };

    private const string Denial = "kernel: audit: type=1400 audit(1714039201.{1}:{0}): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid={0} comm=\"bwrap\" capability=21  capname=\"sys_admin\"";

    public static int Run(string[] args)
    {
        var sizeMb = IntOption(args, "--size-mb", 200);
        var runs = IntOption(args, "--runs", 5);
        var keep = args.Contains("--keep");
        var dir = Directory.CreateTempSubdirectory("usernstools-bench-");
        try
        {
            var small = Path.Combine(dir.FullName, "kern-small.log");
            var large = Path.Combine(dir.FullName, "kern.log");
            var (smallBytes, _) = Generate(small, Math.Max(1, sizeMb / 8));
            var (largeBytes, expected) = Generate(large, sizeMb);

            // Warm the page cache so both sides read from memory, and measure the small file's footprint first.
            _ = Grep(large);
            _ = Scan(small);
            var peakAfterSmall = Process.GetCurrentProcess().PeakWorkingSet64;

            // The first scan of the large file runs partly before the JIT has optimised the hot loops: what a
            // one-off Get-UsernsDenial sees. The timed runs after the warm-up are the steady state.
            var cold = Stopwatch.StartNew();
            _ = Scan(large);
            var coldSeconds = cold.Elapsed.TotalSeconds;
            for (var i = 0; i < 3; i++)
            {
                _ = Scan(small);
            }

            var ours = new List<double>();
            var grep = new List<double>();
            long found = 0, grepCount = 0;
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                found = Scan(large);
                ours.Add(watch.Elapsed.TotalSeconds);

                watch.Restart();
                grepCount = Grep(large);
                grep.Add(watch.Elapsed.TotalSeconds);
            }

            var peakAfterLarge = Process.GetCurrentProcess().PeakWorkingSet64;
            var mb = largeBytes / 1e6;
            var oursMedian = Median(ours);
            var grepMedian = Median(grep);
            Console.WriteLine($"file: {mb:F0} MB, {expected} user namespace denials (0.1% of lines), {runs} runs each, medians");
            Console.WriteLine($"DenialLogReader.Read   : {oursMedian * 1000,6:F0} ms  {mb / oursMedian,7:F0} MB/s  found {found}");
            Console.WriteLine($"  first scan (cold JIT): {coldSeconds * 1000,6:F0} ms  {mb / coldSeconds,7:F0} MB/s");
            Console.WriteLine($"grep -c apparmor=DENIED: {grepMedian * 1000,6:F0} ms  {mb / grepMedian,7:F0} MB/s  counted {grepCount}");
            Console.WriteLine($"ratio (reader time / grep time): {oursMedian / grepMedian:F2}");
            Console.WriteLine($"peak working set: {peakAfterSmall / 1e6:F0} MB after the {smallBytes / 1e6:F0} MB file, {peakAfterLarge / 1e6:F0} MB after the {mb:F0} MB file");
            Console.WriteLine($"target: >= 200 MB/s on one core -> {(mb / oursMedian >= 200 ? "met" : "NOT met")}");
            return found == expected ? 0 : 1;
        }
        finally
        {
            if (!keep)
            {
                dir.Delete(recursive: true);
            }
            else
            {
                Console.WriteLine("files kept in " + dir.FullName);
            }
        }
    }

    private static long Scan(string path)
    {
        long count = 0;
        foreach (var denial in DenialLogReader.Read(new DenialQuery { Paths = new[] { path } }, CancellationToken.None))
        {
            count += denial.Kind == DenialKind.AppArmorCapabilityDenied ? 1 : 0;
        }

        return count;
    }

    private static long Grep(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("grep") { ArgumentList = { "-c", "apparmor=\"DENIED\"", path }, RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Writes about <paramref name="sizeMb"/> MB of syslog-style kernel lines; every thousandth is a denial.</summary>
    private static (long Bytes, long Denials) Generate(string path, int sizeMb)
    {
        var target = sizeMb * 1_000_000L;
        long written = 0, denials = 0, line = 0;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var start = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        while (written < target)
        {
            var time = start.AddMilliseconds(line * 7).ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
            var id = (line % 100_000).ToString(CultureInfo.InvariantCulture);
            var ms = (line % 1000).ToString("000", CultureInfo.InvariantCulture);
            string body;
            if (line % 1000 == 999)
            {
                body = string.Format(CultureInfo.InvariantCulture, Denial, id, ms);
                denials++;
            }
            else
            {
                body = string.Format(CultureInfo.InvariantCulture, s_noise[line % s_noise.Length], id, ms);
            }

            var bytes = Encoding.UTF8.GetBytes(time + " host " + body + "\n");
            file.Write(bytes);
            written += bytes.Length;
            line++;
        }

        return (written, denials);
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
