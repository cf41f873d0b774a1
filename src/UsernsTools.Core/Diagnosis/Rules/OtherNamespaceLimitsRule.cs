using UsernsTools.Facts;
using System.Globalization;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>user.max_{mnt,pid,net,ipc,uts,cgroup,time}_namespaces = 0: user namespaces work, full sandboxes do not.</summary>
internal sealed class OtherNamespaceLimitsRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        // The kernel gives every kind the same default, so the user limit (when sane) is the natural value.
        var userLimit = context.Number(SettingNames.MaxUserNamespaces);
        var recommended = (userLimit is long u && u >= SysctlAdvice.LowMaxUserNamespaces ? u : SettingCatalog.RecommendedMaxUserNamespaces)
            .ToString(CultureInfo.InvariantCulture);

        foreach (var (name, probeName, id) in NamespaceKindLimits.All)
        {
            var setting = context.Setting(name);
            if (setting is null || context.Number(name) is not long value || value > 0)
            {
                continue;
            }

            var evidence = new List<string> { Evidence.Of(setting) };
            if (context.Probe(probeName) is { Succeeded: false } probe)
            {
                evidence.Add(Evidence.Of(probe));
            }

            var kind = name["user.max_".Length..^"_namespaces".Length];
            // bwrap always builds a mount namespace, so without one no sandbox starts at all.
            var isMount = kind == "mnt";
            yield return new UsernsFinding
            {
                Id = id,
                Severity = isMount ? Severity.Blocking : Severity.Warning,
                Setting = name,
                CurrentValue = setting.RuntimeValue?.Trim(),
                RecommendedValue = recommended,
                Evidence = evidence,
                Explanation = $"{name} = 0 forbids new {kind} namespaces below this user namespace, for everybody. "
                    + (isMount
                        ? "User namespaces alone can be created, but bwrap, Flatpak and rootless Podman always create a mount namespace too and fail with ENOSPC."
                        : $"What needs a {kind} namespace ({UsersOf(kind)}) fails with ENOSPC; simpler uses still work."),
                Remediation = "Raise it: " + SysctlAdvice.SetNowAndAtBoot(setting, recommended, context.Words),
                Fix = SysctlAdvice.Fix(name, recommended),
            };
        }
    }

    private static string UsersOf(string kind) => kind switch
    {
        "pid" => "bwrap --unshare-pid and --unshare-all, rootless Podman",
        "net" => "bwrap --unshare-net and --unshare-all, rootless Podman unless --network=host",
        "ipc" => "bwrap --unshare-ipc and --unshare-all, rootless Podman",
        "uts" => "bwrap --unshare-uts and --unshare-all, rootless Podman",
        "cgroup" => "bwrap --unshare-cgroup, rootless Podman",
        _ => "unshare --time",
    };
}
