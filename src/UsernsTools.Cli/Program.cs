using System.Text;
using UsernsTools.Cli;

// Console.Out flushes every 256 characters, which hands a status's JSON to a pipe in dozens of writes, each one waking
// the reader. This writer is flushed after every write call as well, with room for a whole report in one.
var stdout = TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), Console.OutputEncoding, 64 * 1024) { AutoFlush = true });
return await CliApp.RunAsync(args, stdout, Console.Error).ConfigureAwait(false);
