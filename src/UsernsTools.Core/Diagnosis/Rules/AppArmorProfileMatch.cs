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

        // Globs such as /{,usr/}bin/bwrap match as AppArmor matches them.
        return AppArmorGlob.Matches(attachment, path);
    }
}
