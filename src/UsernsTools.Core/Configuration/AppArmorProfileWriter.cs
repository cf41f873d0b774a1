using System.Text.RegularExpressions;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// The per-program profile that exempts one executable from Ubuntu's user namespace restriction: unconfined,
/// with the <c>userns,</c> rule, attached to that path only (KNOWLEDGE.md 6.1).
/// </summary>
internal static partial class AppArmorProfileWriter
{
    public const string NamePrefix = "usernstools-";

    /// <summary>
    /// The profile name for a program: the AppArmor file naming convention (slashes as dots) with our prefix, made
    /// one-to-one so that two programs never share a name (/opt/a.b/c and /opt/a/b.c would both be opt.a.b.c): a dot
    /// of the path is written "_." and an underscore "__". No code is a prefix of another, so a name decodes one way
    /// only; paths without dots or underscores (/usr/bin/bwrap) keep the conventional name.
    /// </summary>
    public static string ProfileName(string programPath)
    {
        ArgumentNullException.ThrowIfNull(programPath);
        var name = new System.Text.StringBuilder(NamePrefix, NamePrefix.Length + programPath.Length + 8);
        foreach (var c in programPath.TrimStart('/'))
        {
            _ = c switch
            {
                '/' => name.Append('.'),
                '.' => name.Append("_."),
                '_' => name.Append("__"),
                _ => name.Append(c),
            };
        }

        return name.ToString();
    }

    public static string ProfileFile(string programPath) => ManagedPaths.AppArmorDir + "/" + ProfileName(programPath);

    public static string Render(string programPath)
    {
        var name = ProfileName(programPath);
        return "# Managed by UsernsTools (Enable-UnprivilegedUserns): lets this program create user namespaces\n"
            + "# while Ubuntu's restriction stays on for everything else. Restore-UsernsConfiguration removes it.\n"
            + "abi <abi/4.0>,\n"
            + "include <tunables/global>\n"
            + "\n"
            + $"profile {name} {programPath} flags=(unconfined) {{\n"
            + "  userns,\n"
            + "\n"
            + $"  include if exists <local/{name}>\n"
            + "}\n";
    }

    /// <summary>Whether <see cref="ValidateProgramPath"/> accepts the path.</summary>
    public static bool IsValidProgramPath(string? programPath) =>
        !string.IsNullOrEmpty(programPath) && programPath.StartsWith('/') && SafePath().IsMatch(programPath)
        && !programPath.Split('/').Any(s => s == ".." || s == ".");

    /// <summary>Throws unless the path is absolute and made only of characters that need no quoting in a profile.</summary>
    public static void ValidateProgramPath(string? programPath)
    {
        if (string.IsNullOrEmpty(programPath) || !programPath.StartsWith('/') || !SafePath().IsMatch(programPath)
            || programPath.Split('/').Any(s => s == ".." || s == "."))
        {
            throw new UsernsException(
                "InvalidProgramPath",
                UsernsErrorCategory.InvalidArgument,
                $"'{programPath}' is not a usable program path: give an absolute path made of letters, digits and . _ + - /.",
                programPath);
        }
    }

    /// <summary>
    /// Follows symlinks of <paramref name="programPath"/> below <paramref name="root"/>: AppArmor attaches to the
    /// real file, so a profile for /usr/bin/x where x is a link would never apply. Null when it does not exist.
    /// </summary>
    public static string? ResolveProgram(string root, string programPath)
    {
        var current = programPath;
        for (var hops = 0; hops < 40; hops++)
        {
            var full = RootedPath.Combine(root, current);
            UnixFileStatus? stat;
            try
            {
                stat = UnixFile.LStat(full);
            }
            catch (IOException)
            {
                return null;
            }

            if (stat is null)
            {
                return null;
            }

            if (!stat.IsSymlink)
            {
                return current;
            }

            var target = new FileInfo(full).LinkTarget;
            if (target is null)
            {
                return null;
            }

            current = target.StartsWith('/') ? target : Path.GetDirectoryName(current) + "/" + target;
            current = Normalize(current);
        }

        return null;
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._+/-]+$")]
    private static partial Regex SafePath();
}
