using System.Diagnostics;
using System.Text.Json;
using UsernsTools.Configuration;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Serialization;

namespace UsernsTools.ConfigurationHelper;

/// <summary>
/// usage: helper OPERATION --root DIR [--proc-root DIR] [--name N --value V] [--scope Runtime,Persistent]
///        [--force] [--backup-id ID] [--program PATH]...
/// OPERATION: set, disable, enable, restore, read. Prints the changes as JSON; an engine error prints "ErrorId: message" to
/// stderr and exits 3. USERNSTOOLS_TEST_CRASH_AT=POINT kills the process with SIGKILL at that fault point.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--force")
            {
                options["--force"] = new List<string> { "true" };
                continue;
            }

            if (!options.TryGetValue(args[i], out var list))
            {
                options[args[i]] = list = new List<string>();
            }

            list.Add(args[++i]);
        }

        string? One(string name) => options.TryGetValue(name, out var v) ? v[^1] : null;
        var crashAt = Environment.GetEnvironmentVariable("USERNSTOOLS_TEST_CRASH_AT");
        var context = new ConfigurationContext
        {
            Root = One("--root") ?? "/nonexistent",
            ProcRoot = One("--proc-root"),
            LockTimeout = TimeSpan.FromSeconds(120),
            FaultPoint = point =>
            {
                if (point == crashAt)
                {
                    Process.GetCurrentProcess().Kill();
                    Thread.Sleep(Timeout.Infinite);
                }
            },
        };
        var scope = One("--scope") is { } s ? Enum.Parse<ChangeScope>(s) : ChangeScope.Runtime | ChangeScope.Persistent;
        var force = options.ContainsKey("--force");
        try
        {
            ApplyResult result;
            switch (args[0])
            {
                case "set":
                    result = await Remediation.SetSettingAsync(new SetSettingRequest(One("--name")!, One("--value")!) { Scope = scope, Force = force }, context);
                    break;
                case "disable":
                    result = await Remediation.DisableAsync(new DisableRequest { Scope = scope, Force = force }, context);
                    break;
                case "enable":
                    result = await Remediation.EnableAsync(
                        new EnableRequest { Method = Enum.Parse<EnableMethod>(One("--method") ?? "Auto"), ProgramPaths = options.GetValueOrDefault("--program") ?? new List<string>(), Force = force },
                        context);
                    break;
                case "restore":
                    result = await Remediation.RestoreAsync(new RestoreRequest { BackupId = One("--backup-id"), Newest = One("--backup-id") is null, Force = force }, context);
                    break;
                case "read":
                    Console.WriteLine(SettingReader.ReadRuntimeValue(context.EffectiveProcRoot, One("--name")!) ?? "");
                    return 0;
                default:
                    Console.Error.WriteLine("unknown operation " + args[0]);
                    return 2;
            }

            Console.WriteLine(JsonSerializer.Serialize(result.Changes, UsernsJsonContext.Default.IReadOnlyListUsernsChange));
            return 0;
        }
        catch (UsernsException ex)
        {
            Console.Error.WriteLine($"{ex.ErrorId}: {ex.Message}");
            return 3;
        }
    }
}
