using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Decides whose ability to create namespaces is diagnosed.</summary>
internal static class UserResolver
{
    public const string SourceExplicit = "Explicit";
    public const string SourceSudoUser = "SudoUser";
    public const string SourceDefaultNobody = "DefaultNobody";
    public const string SourceCaller = "Caller";

    /// <summary>The overflow uid, used for nobody when the passwd file has no such account.</summary>
    private const long NobodyId = 65534;

    /// <summary>
    /// <paramref name="user"/> is a name or a numeric uid. Without one, root diagnoses the user who ran sudo
    /// (SUDO_UID), else nobody: root itself can always create namespaces, so diagnosing root would prove nothing.
    /// Anyone else diagnoses themselves.
    /// </summary>
    public static UsernsSubject Resolve(string root, string? user, long callerUid, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(environment);
        if (user is not null)
        {
            // An empty name given on purpose ('--user ""' from an unset shell variable) would otherwise diagnose someone else.
            return string.IsNullOrWhiteSpace(user)
                ? throw new UsernsException(
                    "EmptyUserName",
                    UsernsErrorCategory.InvalidArgument,
                    "The user given is empty: give a user name or uid, or leave the user out for the default.",
                    user)
                : ResolveExplicit(root, user.Trim(), callerUid);
        }

        if (callerUid != 0)
        {
            return FromUid(root, callerUid, SourceCaller, isCaller: true);
        }

        var uidMap = MachineRoot.IsLive(root) ? RootedPath.ReadText(root, "/proc/self/uid_map") : null;
        if (environment.TryGetValue("SUDO_UID", out var sudoUid)
            && TryParseUid(sudoUid, out var uid)
            && uid != 0
            && IsMapped(uidMap, uid))
        {
            return FromUid(root, uid, SourceSudoUser, isCaller: false);
        }

        var nobody = PasswdFile.FindByName(root, "nobody");
        if (!IsMapped(uidMap, nobody?.Uid ?? NobodyId))
        {
            // Root of a user namespace that maps only itself (unshare -r, a rootless container): no other user
            // exists here, so the caller is the only subject whose answer means anything.
            return FromUid(root, callerUid, SourceCaller, isCaller: true);
        }

        return nobody is null
            ? new UsernsSubject { User = "nobody", Uid = NobodyId, Gid = NobodyId, Source = SourceDefaultNobody, HasPasswdEntry = false }
            : new UsernsSubject { User = nobody.Name, Uid = nobody.Uid, Gid = nobody.Gid, Source = SourceDefaultNobody, HasPasswdEntry = true, IsCaller = nobody.Uid == callerUid };
    }

    /// <summary>Whether <paramref name="uid"/> is mapped in the current user namespace; true when the map is unknown.</summary>
    internal static bool IsMapped(string? uidMap, long uid)
    {
        if (uidMap is null)
        {
            return true;
        }

        foreach (var line in uidMap.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3
                && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inside)
                && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && uid >= inside && uid < inside + count)
            {
                return true;
            }
        }

        return false;
    }

    private static UsernsSubject ResolveExplicit(string root, string user, long callerUid)
    {
        // A negative number is a uid out of range, not a name: no user name may start with '-'.
        var negative = user.Length > 1 && user[0] == '-' && user[1..].All(char.IsAsciiDigit);
        if (negative || user.All(char.IsAsciiDigit))
        {
            if (negative || !TryParseUid(user, out var uid))
            {
                throw new UsernsException(
                    "InvalidUserId",
                    UsernsErrorCategory.InvalidArgument,
                    $"'{user}' is not a valid uid: uids range from 0 to 4294967294.",
                    user);
            }

            return FromUid(root, uid, SourceExplicit, isCaller: uid == callerUid);
        }

        var entry = PasswdFile.FindByName(root, user)
            ?? throw new UsernsException(
                "UnknownUser",
                UsernsErrorCategory.ObjectNotFound,
                $"No user named '{user}' exists on this machine (checked {PasswdFile.MachinePath}{(MachineRoot.IsLive(root) ? " and the system's user database" : " below " + root)}).",
                user);
        return new UsernsSubject
        {
            User = entry.Name,
            Uid = entry.Uid,
            Gid = entry.Gid,
            Source = SourceExplicit,
            HasPasswdEntry = true,
            IsCaller = entry.Uid == callerUid,
        };
    }

    /// <summary>A uid without an account is allowed: probes then run it with its own number as gid and no groups.</summary>
    internal static UsernsSubject FromUid(string root, long uid, string source, bool isCaller)
    {
        var entry = PasswdFile.FindByUid(root, uid);
        return entry is null
            ? new UsernsSubject { User = uid.ToString(CultureInfo.InvariantCulture), Uid = uid, Gid = uid, Source = source, IsCaller = isCaller, HasPasswdEntry = false }
            : new UsernsSubject { User = entry.Name, Uid = entry.Uid, Gid = entry.Gid, Source = source, IsCaller = isCaller, HasPasswdEntry = true };
    }

    /// <summary>(uid_t)-1 means "no change" to the kernel, so the largest usable uid is 4294967294.</summary>
    private static bool TryParseUid(string? text, out long uid) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uid) && uid < uint.MaxValue;
}
