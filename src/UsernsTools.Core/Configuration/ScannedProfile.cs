namespace UsernsTools.Configuration;

/// <summary>A profile found in a file under /etc/apparmor.d: its name, the paths it attaches to and whether it grants <c>userns,</c>.</summary>
internal sealed record ScannedProfile(string File, string Name, IReadOnlyList<string> Attachments, bool GrantsUserns);
