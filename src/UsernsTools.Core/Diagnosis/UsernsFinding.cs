using System.Text.Json.Serialization;

namespace UsernsTools.Diagnosis;

/// <summary>One cause (or notable fact) found by the diagnosis, with evidence and the least-privilege fix.</summary>
public sealed class UsernsFinding
{
    /// <summary>Stable identifier, e.g. <c>MaxUserNamespacesZero</c>.</summary>
    [JsonInclude] public string Id { get; internal init; } = "";

    [JsonInclude] public Severity Severity { get; internal init; }

    /// <summary>The sysctl name involved, when there is one.</summary>
    [JsonInclude] public string? Setting { get; internal init; }

    [JsonInclude] public string? CurrentValue { get; internal init; }

    [JsonInclude] public string? RecommendedValue { get; internal set; }

    /// <summary>The facts and probe results this finding rests on.</summary>
    [JsonInclude] public IReadOnlyList<string> Evidence { get; internal set; } = Array.Empty<string>();

    [JsonInclude] public string Explanation { get; internal init; } = "";

    /// <summary>What to do, least privilege first, for this distribution.</summary>
    [JsonInclude] public string Remediation { get; internal init; } = "";

    /// <summary>The <c>usernstools</c> command line that would fix it, when one exists, for a shell.</summary>
    [JsonInclude] public string? FixCommand { get; internal init; }

    /// <summary>The cmdlet line that would fix it, when one exists, for PowerShell.</summary>
    [JsonInclude] public string? FixCmdlet { get; internal init; }

    /// <summary>The programs the fix gives their own AppArmor profile with <c>userns,</c> (what Enable-UnprivilegedUserns profiles when the finding is piped to it).</summary>
    [JsonInclude] public IReadOnlyList<string> ProgramPaths { get; internal init; } = Array.Empty<string>();

    /// <summary>The fix as data; setting it fills <see cref="FixCommand"/> and <see cref="FixCmdlet"/>, one per front end.</summary>
    internal FindingFix? Fix
    {
        get => _fix;
        init
        {
            _fix = value;
            FixCommand = value?.Render(Configuration.FrontEndWords.Cli);
            FixCmdlet = value?.Render(Configuration.FrontEndWords.Cmdlets);
            ProgramPaths = value?.Programs ?? Array.Empty<string>();
        }
    }

    private readonly FindingFix? _fix;

    /// <summary>A copy of this finding without its recommended value (everything else, the fix included, as it is).</summary>
    internal UsernsFinding WithoutRecommendedValue()
    {
        var copy = (UsernsFinding)MemberwiseClone();
        copy.RecommendedValue = null;
        return copy;
    }

    /// <summary>
    /// This finding with <paramref name="extra"/> evidence after its own, each line once (a copy, unless there is nothing
    /// to add).
    /// </summary>
    internal UsernsFinding WithMoreEvidence(IReadOnlyCollection<string> extra)
    {
        if (extra.Count == 0)
        {
            return this;
        }

        var copy = (UsernsFinding)MemberwiseClone();
        copy.Evidence = Evidence.Concat(extra).Distinct(StringComparer.Ordinal).ToArray();
        return copy;
    }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => Id;
}
