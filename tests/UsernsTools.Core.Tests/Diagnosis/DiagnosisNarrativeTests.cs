using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>What -Verbose says a diagnosis decided: the subject and why, each command run, the file that wins at boot.</summary>
public class DiagnosisNarrativeTests
{
    [Theory]
    [InlineData(UserResolver.SourceExplicit, "Diagnosing alice (uid 1000), the user asked for.")]
    [InlineData(UserResolver.SourceCaller, "Diagnosing alice (uid 1000), the current user.")]
    [InlineData(UserResolver.SourceSudoUser, "Diagnosing alice (uid 1000), the user who ran sudo (SUDO_UID): root itself can always create namespaces.")]
    public void SaysWhyThisUserIsDiagnosed(string source, string expected)
    {
        var subject = new UsernsSubject { User = "alice", Uid = 1000, Gid = 1000, Source = source };
        Assert.Equal(expected, DiagnosisNarrative.Subject(subject));
    }

    [Fact]
    public void NamesEachCommandOnceAndEachProbeOutcome()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load("rhel-9-stig-hardened"), fromReport: true);
        var lines = DiagnosisNarrative.Describe(status).ToList();
        Assert.Equal("The report was recorded on 'rhel9-bastion'; it diagnoses admin (uid 1000), the current user.", lines[0]);
        Assert.Contains("Ran as admin: /usr/bin/unshare --user true", lines);
        Assert.Contains("Probe CreateUserNamespace failed at stage Create (ENOSPC): unshare: unshare failed: No space left on device (2 ms).", lines);
        Assert.Contains("At boot user.max_user_namespaces = 0: /etc/sysctl.conf:12 wins; it overrides /etc/sysctl.d/99-stig.conf:31 (0).", lines);
        Assert.StartsWith("Verdict Unavailable: ", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void SaysWhenNoFileSetsASetting()
    {
        var setting = new UsernsSetting { Name = "user.max_user_namespaces", RuntimeValue = "15000" };
        Assert.Equal(
            new[] { "No sysctl file sets a user namespace setting: boot keeps the kernel's defaults." },
            DiagnosisNarrative.Settings(new[] { setting }));
    }
}
