using System.Text;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>Words that are not UTF-8 reach the program as the bytes they are, through either backend, as any user.</summary>
public class ByteExactRunTests
{
    private const string HexOfFirstArgument = "printf %s \"$1\" | od -An -tx1 -v | tr -d ' \\n'";

    public static TheoryData<long, BackendKind> UsersAndBackends => SandboxTestHost.UsersAndBackends();

    [KernelTheory("unshare", "bwrap", "setpriv", "od")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task TheRawCommandReachesTheProgramByteForByte(long uid, BackendKind backend)
    {
        byte[] latin1 = { 0x63, 0x61, 0x66, 0xe9, 0x0a };
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", HexOfFirstArgument, "sh", Encoding.UTF8.GetString(latin1));
        spec.RawCommand = new[] { "sh", "-c", HexOfFirstArgument, "sh" }.Select(Encoding.UTF8.GetBytes).Append(latin1).ToList();
        spec.Mapping = IdentityMapping.RootUser;

        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);

        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "636166e90a" }, output);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task OutputIsReadAsUtf8WhateverItsFirstBytes(long uid, BackendKind backend)
    {
        // FF FE and FE FF look like UTF-16 byte order marks, EF BB BF like UTF-8's: a reader that honours them turned the
        // lines into UTF-16 text (or dropped the mark); the program wrote bytes, shown as UTF-8 does.
        var spec = SandboxTestHost.Spec(backend, "printf", "\\377\\376ab\\nline\\n\\357\\273\\277c\\n");
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "\uFFFD\uFFFDab", "line", "\uFEFFc" }, output);

        var toError = SandboxTestHost.Spec(backend, "sh", "-c", "printf '\\376\\377err\\n' >&2");
        (result, _, error) = await SandboxTestHost.RunAsync(uid, toError);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "\uFFFD\uFFFDerr" }, error);
    }

    [Theory]
    [InlineData("pwd; exit 7", 7)]
    [InlineData("pwd; kill -TERM $$", 128 + 15)]
    public async Task AProcessStartedFromBytesRunsWhereAskedAndReportsItsExitAsProcessDoes(string script, int exitCode)
    {
        var directory = Directory.CreateTempSubdirectory("usernstools-bytes-");
        try
        {
            using var child = Platform.BytesChildProcess.Start(
                new[] { "/bin/sh", "-c", script }.Select(Encoding.UTF8.GetBytes).ToList(),
                new[] { Encoding.UTF8.GetBytes("PATH=/usr/bin:/bin") },
                directory.FullName,
                redirect: true);
            child.StandardInput.Close();
            var output = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync(CancellationToken.None);
            Assert.Equal(directory.FullName + "\n", output);
            Assert.True(child.HasExited);
            Assert.Equal(exitCode, child.ExitCode);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void ARawCommandThatIsNotTheCommandIsRefused()
    {
        var spec = new NamespaceSpec { FilePath = "printf", ArgumentList = { "a" } };
        spec.RawCommand = new[] { Encoding.UTF8.GetBytes("printf"), Encoding.UTF8.GetBytes("b") };
        Assert.Throws<ArgumentException>(spec.Validate);
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "od")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task ARawVariableReachesTheProgramByteForByte(long uid, BackendKind backend)
    {
        byte[] entry = { (byte)'V', (byte)'=', 0x63, 0x61, 0x66, 0xe9 };
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", "printf %s \"$V\" | od -An -tx1 -v | tr -d ' \\n'");
        spec.Environment["V"] = Encoding.UTF8.GetString(entry)[2..];
        spec.RawEnvironment = new Dictionary<string, byte[]> { ["V"] = entry };
        spec.Mapping = IdentityMapping.RootUser;

        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);

        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "636166e9" }, output);
    }

    [Fact]
    public void ARawVariableThatIsNotTheVariableIsRefused()
    {
        var spec = new NamespaceSpec { FilePath = "printenv", Environment = { ["V"] = "a" } };
        spec.RawEnvironment = new Dictionary<string, byte[]> { ["V"] = Encoding.UTF8.GetBytes("V=b") };
        Assert.Throws<ArgumentException>(spec.Validate);
    }
}
