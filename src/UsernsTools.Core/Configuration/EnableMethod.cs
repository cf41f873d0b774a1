namespace UsernsTools.Configuration;

/// <summary>How Enable-UnprivilegedUserns lifts a restriction.</summary>
public enum EnableMethod
{
    /// <summary>Fix each blocking cause with the least privilege that lifts it.</summary>
    Auto,

    /// <summary>Per-program AppArmor profiles with the <c>userns,</c> rule; the rest of the system stays restricted.</summary>
    AppArmorProfile,

    /// <summary>System-wide sysctl settings.</summary>
    Sysctl,
}
