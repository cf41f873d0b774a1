using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Probes;

/// <summary>The errno a failing probe reported, recognised from the tool's message.</summary>
[JsonConverter(typeof(EnumNameConverter<Errno>))]
public enum Errno
{
    None,
    EPERM,
    EACCES,
    ENOSPC,
    EUSERS,
    EINVAL,
    ENOSYS,
    ENOENT,
    Unknown,
}
