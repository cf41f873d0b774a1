namespace UsernsTools.Diagnosis;

/// <summary>Turns a snapshot into findings and a verdict. Pure: reads nothing but its argument.</summary>
internal static class Diagnoser
{
    public static UsernsStatus Diagnose(UsernsSnapshot snapshot, bool fromReport = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new UsernsStatus
        {
            Verdict = Verdict.Available,
            Subject = snapshot.Facts.Subject,
            Hostname = snapshot.Facts.Hostname,
            FromReport = fromReport,
            Probes = snapshot.Probes,
            Facts = snapshot.Facts,
        };
    }
}
