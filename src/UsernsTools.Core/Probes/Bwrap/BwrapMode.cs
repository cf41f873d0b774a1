using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Probes.Bwrap;

/// <summary>Which bubblewrap invocation a probe tried.</summary>
[JsonConverter(typeof(EnumNameConverter<BwrapMode>))]
public enum BwrapMode
{
    /// <summary><c>--unshare-user --uid 0 --gid 0 --ro-bind / /</c>: a user namespace is required and root must be mapped.</summary>
    Strict,

    /// <summary><c>--unshare-user-try</c>: bwrap skips the user namespace where none can be made.</summary>
    Try,

    /// <summary>Strict plus <c>--unshare-net</c>: loopback set-up needs CAP_NET_ADMIN inside the namespace.</summary>
    Network,

    /// <summary>
    /// Strict plus <c>--unshare-pid --proc /proc</c>, as Flatpak and <c>usernstools run --mount-proc</c> ask: a procfs
    /// for a new pid namespace, which the kernel refuses while parts of the existing /proc are covered (containers).
    /// </summary>
    Proc,

    /// <summary>
    /// Flatpak's own shape: <c>--unshare-user --unshare-pid --unshare-ipc</c>, the subject's own uid inside (so bwrap
    /// nests a second user namespace after mounting), <c>--dev /dev</c>, <c>--proc /proc</c> and a tmpfs. It answers
    /// "would a Flatpak app start here"; apps without network access also get <c>--unshare-net</c>, which the
    /// <see cref="Network"/> mode answers.
    /// </summary>
    Flatpak,
}
