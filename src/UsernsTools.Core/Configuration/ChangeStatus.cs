using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>What became of a change.</summary>
[JsonConverter(typeof(EnumNameConverter<ChangeStatus>))]
public enum ChangeStatus
{
    /// <summary>Written and verified.</summary>
    Applied,

    /// <summary>The value was already in force; nothing was written.</summary>
    AlreadyInDesiredState,

    /// <summary>Not approved (-WhatIf, or answered no to -Confirm); nothing was written.</summary>
    Declined,

    /// <summary>Needs a step UsernsTools does not take for you (e.g. a boot option and a reboot).</summary>
    RequiresManualAction,

    /// <summary>Journaled, but the run stopped before confirming it (a crash): it may or may not be in place.</summary>
    Interrupted,

    /// <summary>Written, then put back because a later step or the verification failed.</summary>
    RolledBack,
}
