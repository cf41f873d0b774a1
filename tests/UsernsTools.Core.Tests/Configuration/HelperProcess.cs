using UsernsTools.Platform;

namespace UsernsTools.Tests.Configuration;

/// <summary>Runs the UsernsTools.ConfigurationHelper process, optionally behind a prefix argv (unshare, setpriv).</summary>
internal static class HelperProcess
{
    public static string Dll => System.IO.Path.Combine(AppContext.BaseDirectory, "UsernsTools.ConfigurationHelper.dll");

    public static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } p && System.IO.Path.GetFileName(p) == "dotnet" ? p
        : PathLookup.Find("dotnet", Environment.GetEnvironmentVariable("PATH")) ?? "dotnet";

    public static async Task<ProcessResult> RunAsync(IReadOnlyList<string> prefix, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var argv = new List<string>(prefix) { Dotnet, Dll };
        argv.AddRange(args);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["LC_ALL"] = "C",
        };
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                env[k] = v;
            }
        }

        return await ProcessRunner.Instance.RunAsync(new ProcessRequest(argv) { Environment = env, Timeout = TimeSpan.FromSeconds(90) }, CancellationToken.None);
    }
}
