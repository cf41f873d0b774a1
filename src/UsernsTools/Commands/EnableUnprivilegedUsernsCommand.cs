using System.Management.Automation;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Lifts what blocks unprivileged user namespaces, least privilege first: a per-program AppArmor profile where
/// AppArmor restricts them, else the sysctls that block them, in the running kernel and at boot. Journaled.
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "UnprivilegedUserns", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(UsernsChange))]
public sealed class EnableUnprivilegedUsernsCommand : UsernsChangeCmdletBase
{
    private readonly List<UsernsFinding> _findings = new();

    /// <summary>Auto (least privilege that lifts each cause), AppArmorProfile, or Sysctl.</summary>
    [Parameter]
    public EnableMethod Method { get; set; } = EnableMethod.Auto;

    /// <summary>Programs that get an AppArmor profile with the userns rule besides bwrap.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ProgramPath { get; set; } = Array.Empty<string>();

    /// <summary>The findings of a diagnosis: binds the Findings of a UsernsStatus piped in.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Findings")]
    [FindingTransformation]
    public UsernsFinding[]? Finding { get; set; }

    /// <summary>A finding piped in by itself, as in (Get-UsernsStatus).Findings | Enable-UnprivilegedUserns.</summary>
    [Parameter(ValueFromPipeline = true)]
    [FindingTransformation]
    public UsernsFinding? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        // Collect everything first: one plan for all findings, one journal record, one approval per change.
        if (Finding is not null)
        {
            _findings.AddRange(Finding.Where(f => f is not null));
        }

        if (InputObject is not null)
        {
            _findings.Add(InputObject);
        }
    }

    protected override void EndProcessing()
    {
        var request = new EnableRequest
        {
            Method = Method,
            ProgramPaths = ProgramPath.Select(p => ResolveFileSystemPath(p, nameof(ProgramPath))).ToList(),
            Findings = _findings.DistinctBy(f => f.Id).ToList(),
            Force = Force.IsPresent,
        };
        Apply((context, approve, warn, token) => Remediation.EnableAsync(request, context, approve, warn, token));
    }
}
