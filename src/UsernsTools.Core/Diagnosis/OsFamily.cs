namespace UsernsTools.Diagnosis;

/// <summary>The distribution families whose defaults, packages and tools differ in remediation text.</summary>
internal enum OsFamily
{
    Other,
    Debian,
    Ubuntu,
    Rhel,
    Fedora,
    Arch,
    Suse,
    Alt,
}
