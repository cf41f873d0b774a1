namespace UsernsTools.Facts;

/// <summary>Reads every fact the diagnosis needs from a machine (or a folder standing for one).</summary>
internal static class FactCollector
{
    public static Task<MachineFacts> CollectAsync(FactRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new MachineFacts { CollectedAt = DateTimeOffset.UtcNow, CallerUid = request.CallerUid });
    }
}
