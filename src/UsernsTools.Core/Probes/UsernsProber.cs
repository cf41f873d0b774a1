namespace UsernsTools.Probes;

/// <summary>Runs the user namespace probes concurrently as the subject.</summary>
internal static class UsernsProber
{
    public static Task<IReadOnlyList<UsernsProbeResult>> RunAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<UsernsProbeResult>>(Array.Empty<UsernsProbeResult>());
    }
}
