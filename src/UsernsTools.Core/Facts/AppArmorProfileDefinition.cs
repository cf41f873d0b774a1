namespace UsernsTools.Facts;

/// <summary>
/// A profile as defined in one file under /etc/apparmor.d: its name, every path it attaches to (variables
/// expanded) and whether it grants <c>userns,</c>. The facts keep the profiles that matter for user namespaces;
/// remediation looks at all of them to avoid writing a second profile for a path one already covers.
/// </summary>
internal sealed record AppArmorProfileDefinition(string File, string Name, IReadOnlyList<string> Attachments, bool GrantsUserns);
