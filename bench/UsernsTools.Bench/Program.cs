namespace UsernsTools.Bench;

/// <summary>Runs one sub-benchmark chosen by the first argument; each prints medians and ratios against a baseline measured in the same run.</summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<string[], Task<int>>> s_benchmarks = new(StringComparer.Ordinal)
    {
        ["sandbox"] = SandboxBenchmark.RunAsync,
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !s_benchmarks.TryGetValue(args[0], out var benchmark))
        {
            await Console.Error.WriteLineAsync("usage: UsernsTools.Bench <" + string.Join("|", s_benchmarks.Keys) + "> [options]");
            return 2;
        }

        return await benchmark(args[1..]);
    }
}
