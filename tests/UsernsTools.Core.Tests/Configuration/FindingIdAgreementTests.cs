using System.Reflection;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Tests.Diagnosis;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// The ids Enable acts on are the ids the diagnosis emits: a piped finding (from a report, or a live setting that reads
/// fine on the machine being changed) is matched by its id alone.
/// </summary>
public class FindingIdAgreementTests
{
    /// <summary>Each id Enable fixes, with a recorded machine whose diagnosis emits it as a blocking cause.</summary>
    public static TheoryData<string, string> EnableFixes => new()
    {
        { FindingIds.UnprivilegedUsernsCloneDisabled, "debian-10" },
        { FindingIds.UsernsRestrictEnabled, "alt-linux-userns-restrict" },
        { FindingIds.MaxUserNamespacesZero, "rhel-7.9" },
        { FindingIds.AppArmorRestrictsUserns, "ubuntu-24.04-default" },
        { FindingIds.UserNamespaceModuleDisabled, "rhel-7.2" },
    };

    [Fact]
    public void EveryIdEnableSwitchesOnIsAFindingId()
    {
        var declared = typeof(FindingIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(Planner.FindingsEnableFixes, id => Assert.Contains(id, declared));
        Assert.Equal(Planner.FindingsEnableFixes.Order(StringComparer.Ordinal), EnableFixes.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EnableProfilesTheProgramsAPipedFindingNames()
    {
        var finding = Assert.Single(Diagnoser.Diagnose(Fixtures.Load("ubuntu-24.04-chromium-denied"), fromReport: true).Findings);
        using var root = new TestRoot()
            .WithProc("kernel.apparmor_restrict_unprivileged_userns", "1")
            .WithFile("/usr/bin/bwrap", "", mode: 0x1ED)
            .WithFile("/opt/google/chrome/chrome", "", mode: 0x1ED);

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest { Findings = new[] { finding } }, s), root.Context());

        Assert.Equal(
            new[] { "/etc/apparmor.d/usernstools-opt.google.chrome.chrome", "/etc/apparmor.d/usernstools-usr.bin.bwrap" },
            plan.Changes.Where(c => c.Kind == ChangeKind.AppArmorProfile).Select(c => c.Target).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AProgramTheFindingNamesThatIsNotHereGetsANoteNotAnError()
    {
        var finding = Assert.Single(Diagnoser.Diagnose(Fixtures.Load("ubuntu-24.04-chromium-denied"), fromReport: true).Findings);
        using var root = new TestRoot().WithProc("kernel.apparmor_restrict_unprivileged_userns", "1").WithFile("/usr/bin/bwrap", "", mode: 0x1ED);

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest { Findings = new[] { finding } }, s), root.Context());

        Assert.Single(plan.Changes, c => c.Kind == ChangeKind.AppArmorProfile);
        Assert.Contains("/opt/google/chrome/chrome, named by the diagnosis, does not exist here; it gets no profile.", plan.Notes);
    }

    [Theory]
    [MemberData(nameof(EnableFixes))]
    public void EnablePlansAFixFromTheDiagnosedFindingAlone(string id, string fixture)
    {
        var finding = Assert.Single(Diagnoser.Diagnose(Fixtures.Load(fixture), fromReport: true).Findings, f => f.Id == id);
        Assert.Equal(Severity.Blocking, finding.Severity);

        // A machine where every setting reads as not blocking: only the finding can say what to fix.
        using var root = new TestRoot()
            .WithProc("user.max_user_namespaces", "31000")
            .WithProc("kernel.unprivileged_userns_clone", "1")
            .WithProc("kernel.userns_restrict", "0")
            .WithProc("kernel.apparmor_restrict_unprivileged_userns", "0")
            .WithFile("/usr/bin/bwrap", "", mode: 0x1ED);

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest { Findings = new[] { finding } }, s), root.Context());

        Assert.DoesNotContain(plan.Notes, n => n.StartsWith("Nothing blocks", StringComparison.Ordinal));
        var touched = plan.Changes.Select(c => (c.Kind, c.Setting)).Concat(plan.Unchanged.Select(c => (c.Kind, c.Setting))).ToList();
        if (finding.Setting == UsernsTools.Facts.SettingNames.AppArmorRestrictUnprivilegedUserns)
        {
            Assert.Contains(touched, c => c.Kind == ChangeKind.AppArmorProfile);
        }
        else
        {
            Assert.Contains(touched, c => c.Setting == finding.Setting);
        }
    }
}
