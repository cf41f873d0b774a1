using System.Runtime.CompilerServices;
using UsernsTools.Sandbox;

namespace UsernsTools.Tests;

/// <summary>A sandbox run as one sequence, for tests that read a run from start to end: its lines, then its result.</summary>
internal static class SandboxStream
{
    /// <summary>
    /// Starts the spec, feeds it <paramref name="input"/> (none: stdin closed at once), yields its stdout and stderr lines
    /// as they arrive and then one Exited item with the result. Stopping the enumeration early disposes the run, which
    /// ends the sandbox, as a stopped pipeline does for the cmdlet.
    /// </summary>
    public static async IAsyncEnumerable<SandboxStreamItem> StreamAsync(
        this NamespacedProcessRunner runner,
        NamespaceSpec spec,
        IEnumerable<string>? input,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var run = await runner.StartAsync(spec, writableInput: input is not null, cancellationToken);
        await using (run)
        {
            if (input is not null)
            {
                foreach (var line in input)
                {
                    run.WriteInput(line);
                }

                run.CompleteInput();
            }

            await foreach (var item in run.Events.ReadAllAsync(cancellationToken))
            {
                yield return new SandboxStreamItem(
                    item.Kind == SandboxEventKind.Output ? SandboxStreamItemKind.Output : SandboxStreamItemKind.Error,
                    item.Line,
                    null);
            }

            yield return new SandboxStreamItem(SandboxStreamItemKind.Exited, null, await run.Completion);
        }
    }
}
