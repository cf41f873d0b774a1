using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>The user whose ability to create namespaces is being diagnosed.</summary>
public sealed class UsernsSubject
{
    [JsonInclude] public string User { get; internal init; } = "";

    [JsonInclude] public long Uid { get; internal init; }

    [JsonInclude] public long Gid { get; internal init; }

    /// <summary>True when the subject is the calling process's own user (probes run without setpriv).</summary>
    [JsonInclude] public bool IsCaller { get; internal init; }

    /// <summary>How the subject was chosen: Explicit, SudoUser, DefaultNobody or Caller.</summary>
    [JsonInclude] public string Source { get; internal init; } = "";

    /// <summary>False for a numeric id with no passwd entry (probes then clear supplementary groups).</summary>
    [JsonInclude] public bool HasPasswdEntry { get; internal init; }

    /// <summary>The name messages call the subject by: its user name, or its uid when it has none.</summary>
    internal string Name => User.Length > 0 ? User : Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => FormattableString.Invariant($"{User} (uid {Uid})");
}
