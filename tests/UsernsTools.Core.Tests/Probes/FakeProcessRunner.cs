using System.Collections.Concurrent;
using UsernsTools.Platform;

namespace UsernsTools.Tests.Probes;

/// <summary>Answers each argv with a scripted result and records what was asked, without starting anything.</summary>
internal sealed class FakeProcessRunner : IProcessRunner
{
    private readonly Func<IReadOnlyList<string>, ProcessResult> _answer;

    public FakeProcessRunner(Func<IReadOnlyList<string>, ProcessResult> answer) => _answer = answer;

    public ConcurrentQueue<ProcessRequest> Requests { get; } = new();

    public static ProcessResult Exited(int code, string stderr = "")
        => new(true, code, "", stderr, false, false, TimeSpan.FromMilliseconds(3), null);

    public static ProcessResult NotStarted(string error)
        => new(false, null, "", "", false, false, TimeSpan.Zero, error);

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Requests.Enqueue(request);
        return Task.FromResult(_answer(request.Argv));
    }
}
