using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Sandbox;

/// <summary>How the caller's uid and gid appear inside a new user namespace.</summary>
[JsonConverter(typeof(EnumNameConverter<IdentityMapping>))]
public enum IdentityMapping
{
    /// <summary>No map is written: inside, every id shows as the overflow id (usually 65534).</summary>
    None,

    /// <summary>The caller is uid 0 and gid 0 inside (unshare -r, bwrap --uid 0 --gid 0).</summary>
    RootUser,

    /// <summary>The caller keeps its own uid and gid inside.</summary>
    CurrentUser,

    /// <summary>The caller is <see cref="NamespaceSpec.MapUserId"/> and <see cref="NamespaceSpec.MapGroupId"/> inside.</summary>
    User,

    /// <summary>
    /// The caller is root inside and ids 1 and up come from its first /etc/subuid and /etc/subgid ranges,
    /// written by the setuid helpers newuidmap and newgidmap (unshare --map-root-user --map-auto).
    /// </summary>
    Auto,
}
