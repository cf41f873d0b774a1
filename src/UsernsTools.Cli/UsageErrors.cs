using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace UsernsTools.Cli;

/// <summary>
/// The one line a usage error prints: what was wrong in the words typed, with the nearest command or option when a word
/// was misspelt, and the help of the command it was typed for.
/// </summary>
internal static class UsageErrors
{
    private static readonly char[] s_lineBreaks = { '\n', '\r', '\t' };

    /// <summary>The problem to report for a command line that did not parse.</summary>
    public static string Message(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult;
        if (parse.UnmatchedTokens.Count > 0)
        {
            return UnknownWord(command, parse.UnmatchedTokens[0]);
        }

        foreach (var error in parse.Errors)
        {
            // The parser names the .NET type ('System.Nullable`1[System.Int64]'), which tells a shell user nothing.
            if (error.SymbolResult is OptionResult { Option: var option } result
                && NumberKind(option.ValueType) is { } kind
                && result.Tokens.FirstOrDefault(t => !IsNumber(t.Value, option.ValueType)) is { } bad)
            {
                return $"{option.Name} takes {kind}, not '{bad.Value}'.";
            }

            if (error.SymbolResult is ArgumentResult { Argument: var argument } argumentResult
                && NumberKind(argument.ValueType) is { } argumentKind
                && argumentResult.Tokens.FirstOrDefault(t => !IsNumber(t.Value, argument.ValueType)) is { } badArgument)
            {
                return $"{argument.Name.ToUpperInvariant()} takes {argumentKind}, not '{badArgument.Value}'.";
            }
        }

        // One line, so scripts can read the reason: some parser messages list the accepted values on lines of their own.
        return string.Join(' ', parse.Errors[0].Message.Split(s_lineBreaks, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
    }

    /// <summary>
    /// An option given as <c>--name=</c> with nothing after the <c>=</c> takes the next word as its value, even when that
    /// word is one of the command's own options: <c>--root= --dry-run</c> would make the change for real, below a root
    /// named "--dry-run". Returns the problem when a value is an option of the command, else null.
    /// </summary>
    public static string? OptionTakenAsValue(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var result in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (result.Tokens.FirstOrDefault(t => names.Contains(t.Value)) is { } taken)
            {
                return $"{result.Option.Name} has no value: '{taken.Value}' after it is an option of {CommandPath(parse.CommandResult)}, not a value.";
            }
        }

        return null;
    }

    /// <summary>The command line whose help explains what went wrong: the deepest command the words reached.</summary>
    public static string HelpCommand(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return CommandPath(parse.CommandResult) + " --help";
    }

    private static string UnknownWord(CommandResult command, string word)
    {
        var path = CommandPath(command);
        if (word.StartsWith('-') && word.Length > 1)
        {
            var options = command.Command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
            return $"{path} has no option '{word}'{Nearest(word, options)}";
        }

        if (command.Command.Subcommands.Count > 0)
        {
            return $"'{word}' is not a {path} command{Nearest(word, command.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
        }

        return $"{path} does not take '{word}'.";
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? at = command; at is not null; at = at.Parent)
        {
            if (at is CommandResult result)
            {
                names.Add(result.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>"; did you mean 'x'?" for the candidate nearest to <paramref name="word"/> when one is close, else ".".</summary>
    internal static string Nearest(string word, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(word, c)))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(2, c.Name.Length / 3)) || (word.Length >= 3 && c.Name.StartsWith(word, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? "." : $"; did you mean '{best.Name}'?";
    }

    /// <summary>The Levenshtein distance: letters inserted, removed or replaced to turn one word into the other.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var replace = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(replace, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string? NumberKind(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(double))
        {
            return "a number";
        }

        return plain == typeof(long) || plain == typeof(int) ? "a whole number" : null;
    }

    private static bool IsNumber(string text, Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain == typeof(double)
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (plain != typeof(int) || value is >= int.MinValue and <= int.MaxValue);
    }
}
