namespace UsernsTools.Platform;

/// <summary>An argv to run, with its limits.</summary>
internal sealed record ProcessRequest(IReadOnlyList<string> Argv)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public string? StandardInput { get; init; }

    /// <summary>Variables to set (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// A user of the system's user database to run the helper as (its uid, gid and groups, taken by the starting thread for
    /// the start; see <see cref="ThreadCredentials"/>);
    /// null runs it as we are. Only root can switch.
    /// </summary>
    public string? RunAs { get; init; }
}
