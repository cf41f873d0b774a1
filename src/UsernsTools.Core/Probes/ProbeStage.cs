using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Probes;

/// <summary>The step at which a probe failed.</summary>
[JsonConverter(typeof(EnumNameConverter<ProbeStage>))]
public enum ProbeStage
{
    /// <summary>Nothing failed.</summary>
    None,

    /// <summary>The helper could not be started (not installed, not executable, no switch to the subject).</summary>
    Launch,

    /// <summary>Creating the namespace failed (unshare/clone).</summary>
    Create,

    /// <summary>The namespace exists but writing setgroups, gid_map or uid_map was refused.</summary>
    Map,

    /// <summary>Mapped, but using a capability inside (mount, network setup) was refused.</summary>
    Use,

    /// <summary>The probe did not finish in time.</summary>
    Timeout,
}
