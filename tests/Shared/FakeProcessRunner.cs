using System.Collections.Concurrent;
using UsernsTools.Platform;

namespace UsernsTools.Tests;

/// <summary>Answers each request with a scripted result and records what was asked, without starting anything.</summary>
internal sealed class FakeProcessRunner(Func<ProcessRequest, ProcessResult> answer) : IProcessRunner
{
    public ConcurrentQueue<ProcessRequest> Requests { get; } = new();

    /// <summary>The argv of each request, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Calls => Requests.Select(r => r.Argv).ToList();

    public static ProcessResult Exited(int code, string stderr = "")
        => new(true, code, "", stderr, false, false, TimeSpan.FromMilliseconds(3), null);

    public static ProcessResult Output(string stdout) => new(true, 0, stdout, "", false, false, TimeSpan.Zero, null);

    public static ProcessResult NotStarted(string error)
        => new(false, null, "", "", false, false, TimeSpan.Zero, error);

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Requests.Enqueue(request);
        return Task.FromResult(answer(request));
    }
}
