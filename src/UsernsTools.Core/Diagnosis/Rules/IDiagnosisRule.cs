namespace UsernsTools.Diagnosis.Rules;

/// <summary>One cause the diagnosis knows: reads the context, returns the findings the facts show (often none).</summary>
internal interface IDiagnosisRule
{
    IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context);
}
