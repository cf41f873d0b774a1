namespace UsernsTools.Tests.Facts;

/// <summary>A throw-away folder standing for a machine's file-system root.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Path = Directory.CreateTempSubdirectory("userns-root-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> at <paramref name="machinePath"/> below the root, creating folders.</summary>
    public TempRoot Write(string machinePath, string content)
    {
        var file = Combine(machinePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    /// <summary>Creates a symbolic link at <paramref name="machinePath"/> whose target text is <paramref name="target"/>.</summary>
    public TempRoot Link(string machinePath, string target)
    {
        var file = Combine(machinePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.CreateSymbolicLink(file, target);
        return this;
    }

    public TempRoot Folder(string machinePath)
    {
        Directory.CreateDirectory(Combine(machinePath));
        return this;
    }

    /// <summary>An executable file, as PATH lookup wants.</summary>
    public TempRoot Executable(string machinePath, string content = "#!/bin/sh\n")
    {
        Write(machinePath, content);
        File.SetUnixFileMode(Combine(machinePath), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return this;
    }

    public string Combine(string machinePath) => Path + "/" + machinePath.TrimStart('/');

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
