using UsernsTools.Cli;
using UsernsTools.Platform;

// Console.Out flushes every 256 characters, which hands a status's JSON to a pipe in dozens of writes, each one waking
// the reader. This writer is flushed after every write call as well, with room for a whole report in one; it writes to
// the descriptor directly, so that its first write does not set up the terminal as Console's stream does first.
var stdout = TextWriter.Synchronized(new StreamWriter(DescriptorOutputStream.StandardOutput(), Console.OutputEncoding, 64 * 1024) { AutoFlush = true });
// Standard error the same way, except that a closed or full one ends its output, not the command: there is nowhere left
// to say so, and the exit code still tells what happened.
var stderr = TextWriter.Synchronized(new StreamWriter(DescriptorOutputStream.StandardError(), Console.OutputEncoding, 4096) { AutoFlush = true });
return await CliApp.RunAsync(args, stdout, stderr).ConfigureAwait(false);
