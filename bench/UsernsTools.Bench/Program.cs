namespace UsernsTools.Bench;

/// <summary>Runs one benchmark chosen by the first argument; each prints medians and a ratio against a baseline measured in the same run.</summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Description, Func<string[], int> Run)> s_benchmarks = new(StringComparer.Ordinal)
    {
        ["status"] = ("in-process diagnosis against one probe; cold usernstools status --json against an empty program", StatusBenchmark.Run),
        ["sandbox"] = ("engine run against Process.Start of the same argv; runs per second", args => SandboxBenchmark.RunAsync(args).GetAwaiter().GetResult()),
        ["denials"] = ("scan a generated kernel log for user namespace denials, against grep -c", DenialsBenchmark.Run),
        ["status-parts"] = ("time the in-process status with bwrap probes and the denial scan, against facts and unshare probes alone", StatusPartsBenchmark.Run),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !s_benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine("usage: UsernsTools.Bench <benchmark> [options]");
            foreach (var (name, (description, _)) in s_benchmarks)
            {
                Console.Error.WriteLine($"  {name,-12} {description}");
            }

            return 2;
        }

        return benchmark.Run(args[1..]);
    }
}
