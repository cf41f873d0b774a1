using UsernsTools.HelpGen;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: HelpGen <docs/en-US folder> <output en-US folder>");
    return 2;
}

try
{
    HelpBuilder.Write(args[0], args[1]);
    Console.WriteLine($"help: {args[0]} -> {args[1]}");
    return 0;
}
catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"HelpGen: {ex.Message}");
    return 1;
}
