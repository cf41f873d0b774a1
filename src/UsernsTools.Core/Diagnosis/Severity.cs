namespace UsernsTools.Diagnosis;

/// <summary>How much a finding matters.</summary>
public enum Severity
{
    Info,
    Warning,
    Blocking,
}
