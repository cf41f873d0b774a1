namespace UsernsTools.Facts;

/// <summary>Windows Subsystem for Linux generation, when the kernel is one of WSL's.</summary>
public enum WslKind
{
    None,
    Wsl1,
    Wsl2,
}
