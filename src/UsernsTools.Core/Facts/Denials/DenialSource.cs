using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Facts.Denials;

/// <summary>Which kernel mechanism logged a denial.</summary>
[JsonConverter(typeof(EnumNameConverter<DenialSource>))]
public enum DenialSource
{
    AppArmor,
    Selinux,
    Seccomp,
}
