namespace UsernsTools.Tests.Probes;

/// <summary>A temporary folder holding stand-in helper programs; removed on dispose.</summary>
internal sealed class TempTools : IDisposable
{
    public TempTools()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("usernstools-probes-").FullName;
    }

    public string Directory { get; }

    /// <summary>Writes an executable shell script named <paramref name="name"/> and returns its path.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
