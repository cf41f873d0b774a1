using UsernsTools.Facts;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>Whether an AppArmor profile attaches to a program path.</summary>
internal static class AppArmorProfileMatch
{
    public static bool AttachesTo(AppArmorProfileFact profile, string path)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var attachment = profile.Attachment;
        if (string.IsNullOrEmpty(attachment))
        {
            return false;
        }

        if (string.Equals(attachment, path, StringComparison.Ordinal))
        {
            return true;
        }

        // Globs such as /{,usr/}bin/bwrap: compare the program name, which is what they vary around.
        return attachment.IndexOfAny(['*', '{', '[', '?']) >= 0
            && attachment.EndsWith("/" + Path.GetFileName(path), StringComparison.Ordinal);
    }
}
