namespace UsernsTools.Diagnosis;

/// <summary>The likely cause of a bwrap failure on one machine, and whether a per-program AppArmor profile would fix it.</summary>
internal readonly record struct BwrapCause(string? Text, bool AppArmorProfileFixApplies);
