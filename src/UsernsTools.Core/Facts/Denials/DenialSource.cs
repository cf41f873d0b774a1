namespace UsernsTools.Facts.Denials;

/// <summary>Which kernel mechanism logged a denial.</summary>
public enum DenialSource
{
    AppArmor,
    Selinux,
    Seccomp,
}
