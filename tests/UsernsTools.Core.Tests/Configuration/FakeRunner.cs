using UsernsTools.Platform;

namespace UsernsTools.Tests.Configuration;

/// <summary>Records the argv of apparmor_parser calls (AppArmor cannot be enabled on the test machine) and answers with a fixed exit code.</summary>
internal sealed class FakeRunner : IProcessRunner
{
    private readonly int _exitCode;

    public FakeRunner(int exitCode = 0)
    {
        _exitCode = exitCode;
    }

    public List<IReadOnlyList<string>> Calls { get; } = new();

    /// <summary>Whether the profile file existed when each call was made (unload must happen before removal).</summary>
    public List<bool> FileExisted { get; } = new();

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        Calls.Add(request.Argv);
        FileExisted.Add(File.Exists(request.Argv[^1]));
        return Task.FromResult(new ProcessResult(true, _exitCode, "", _exitCode == 0 ? "" : "apparmor_parser: syntax error", false, false, TimeSpan.Zero, null));
    }
}
