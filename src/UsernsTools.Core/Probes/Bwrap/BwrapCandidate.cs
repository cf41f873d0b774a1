using UsernsTools.Platform;

namespace UsernsTools.Probes.Bwrap;

/// <summary>A bwrap as found, before it is described: enough to decide whether a probe may run it.</summary>
/// <param name="Path">The path it was found at.</param>
/// <param name="Source">How it was found: <see cref="BwrapInstallationReader.SourcePath"/> or <see cref="BwrapInstallationReader.SourceExplicit"/>.</param>
/// <param name="Status">The file's status (followed through links).</param>
/// <param name="FileCapabilities">Its file capabilities in getcap's notation; null when it has none.</param>
/// <param name="IsSelected">Whether the probes run this one.</param>
internal sealed record BwrapCandidate(string Path, string Source, UnixFileStatus Status, string? FileCapabilities, bool IsSelected)
{
    /// <summary>True when UsernsTools will not run it (setuid root, or file capabilities).</summary>
    public bool IsPrivileged => BwrapInstallation.Privileged(Status.IsSetuid, Status.OwnerUid, FileCapabilities);
}
