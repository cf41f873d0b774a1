using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Facts;

/// <summary>Windows Subsystem for Linux generation, when the kernel is one of WSL's.</summary>
[JsonConverter(typeof(EnumNameConverter<WslKind>))]
public enum WslKind
{
    None,
    Wsl1,
    Wsl2,
}
