using System.Collections.Concurrent;
using UsernsTools.Platform;

namespace UsernsTools.Tests.Facts;

/// <summary>A process runner that starts nothing: it records each request and answers from a table.</summary>
internal sealed class RecordingRunner(Func<ProcessRequest, ProcessResult> answer) : IProcessRunner
{
    public ConcurrentQueue<ProcessRequest> Requests { get; } = new();

    public static ProcessResult Output(string stdout) => new(true, 0, stdout, "", false, false, TimeSpan.Zero, null);

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Task.FromResult(answer(request));
    }
}
