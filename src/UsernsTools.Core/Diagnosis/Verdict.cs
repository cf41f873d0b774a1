using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Diagnosis;

/// <summary>The answer to "can the subject use unprivileged user namespaces here".</summary>
[JsonConverter(typeof(EnumNameConverter<Verdict>))]
public enum Verdict
{
    /// <summary>Creating and mapping a user namespace works.</summary>
    Available,

    /// <summary>Creating works, but a later step is denied or a limit is low.</summary>
    Limited,

    /// <summary>A user namespace cannot be created.</summary>
    Unavailable,
}
