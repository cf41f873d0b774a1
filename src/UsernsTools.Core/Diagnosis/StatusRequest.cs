namespace UsernsTools.Diagnosis;

/// <summary>Options of one status run.</summary>
internal sealed record StatusRequest
{
    /// <summary>User name or uid to diagnose; null for the default subject.</summary>
    public string? User { get; init; }

    /// <summary>Read facts only; start no helper process.</summary>
    public bool NoProbe { get; init; }

    /// <summary>File-system root to read facts from.</summary>
    public string Root { get; init; } = "/";

    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the recent denials are looked for (tests point it at their own logs); the logs below <see cref="Root"/> when null.</summary>
    public Facts.Denials.DenialQuery? DenialQuery { get; init; }

    /// <summary>The front end whose commands the remediation text names; the cmdlets' when null.</summary>
    public Configuration.FrontEndWords? Words { get; init; }
}
