using UsernsTools.Diagnosis;

namespace UsernsTools.Configuration;

/// <summary>Enable-UnprivilegedUserns.</summary>
internal sealed record EnableRequest
{
    public EnableMethod Method { get; init; } = EnableMethod.Auto;

    /// <summary>Programs that get a profile with <c>userns,</c> besides bwrap.</summary>
    public IReadOnlyList<string> ProgramPaths { get; init; } = Array.Empty<string>();

    /// <summary>Findings of a diagnosis (piped in); Auto also reads the settings themselves, so none are required.</summary>
    public IReadOnlyList<UsernsFinding> Findings { get; init; } = Array.Empty<UsernsFinding>();

    public bool Force { get; init; }
}
