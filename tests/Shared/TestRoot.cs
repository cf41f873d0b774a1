using System.Text;
using UsernsTools.Configuration;

namespace UsernsTools.Tests;

/// <summary>A throw-away folder standing for a machine's file-system root: files below it, and /proc/sys values as plain files.</summary>
internal sealed class TestRoot : IDisposable
{
    public TestRoot()
    {
        Path = Directory.CreateTempSubdirectory("usernstools-cfg-").FullName;
    }

    public string Path { get; }

    public string Full(string machinePath) => Path + machinePath;

    public ConfigurationContext Context() => new()
    {
        Root = Path,
        LockTimeout = TimeSpan.FromSeconds(120),
    };

    public TestRoot WithProc(string name, string value)
    {
        var file = Full("/proc/sys/" + name.Replace('.', '/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, value + "\n");
        return this;
    }

    public string? Proc(string name)
    {
        var file = Full("/proc/sys/" + name.Replace('.', '/'));
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    public TestRoot WithFile(string machinePath, string content, int mode = 0x1A4)
    {
        var file = Full(machinePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, Encoding.UTF8.GetBytes(content));
        File.SetUnixFileMode(file, (UnixFileMode)mode);
        return this;
    }

    /// <summary>An executable file, as PATH lookup wants.</summary>
    public TestRoot WithExecutable(string machinePath, string content = "#!/bin/sh\n") =>
        WithFile(machinePath, content, mode: (int)(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));

    /// <summary>Creates a symbolic link at <paramref name="machinePath"/> whose target text is <paramref name="target"/>.</summary>
    public TestRoot WithLink(string machinePath, string target)
    {
        var file = Full(machinePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.CreateSymbolicLink(file, target);
        return this;
    }

    public TestRoot WithFolder(string machinePath)
    {
        Directory.CreateDirectory(Full(machinePath));
        return this;
    }

    public string? Text(string machinePath) => File.Exists(Full(machinePath)) ? File.ReadAllText(Full(machinePath)) : null;

    /// <summary>Every regular file below the root with its bytes and mode (symlinks as their target text), for "nothing changed" checks.</summary>
    public IReadOnlyDictionary<string, string> Tree()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(entry);
            var relative = entry[Path.Length..];
            if (info.LinkTarget is not null)
            {
                result[relative] = "link:" + info.LinkTarget;
            }
            else if (Directory.Exists(entry))
            {
                result[relative] = "dir";
            }
            else
            {
                result[relative] = Convert.ToHexString(File.ReadAllBytes(entry)) + " " + Convert.ToString((int)File.GetUnixFileMode(entry), 8);
            }
        }

        return result;
    }

    /// <summary>The files of a tree outside the journal folder: what a restore must give back exactly (folders it created may stay).</summary>
    public static IReadOnlyDictionary<string, string> FilesOutsideJournal(IReadOnlyDictionary<string, string> tree) =>
        tree.Where(kv => kv.Value != "dir" && !kv.Key.StartsWith("/var/lib/usernstools", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
