using UsernsTools.Display;

namespace UsernsTools.Platform;

/// <summary>
/// The one exception type the engine throws. <see cref="ErrorId"/> is specific and stable (PascalCase),
/// so scripts can match on it; <see cref="TargetValue"/> is the offending value, not the operation.
/// </summary>
public sealed class UsernsException : Exception
{
    /// <summary>The message is made one line (<see cref="TerminalText"/>): it often quotes input a user or a file supplied.</summary>
    public UsernsException(string errorId, UsernsErrorCategory category, string message, object? targetValue = null, Exception? innerException = null)
        : base(TerminalText.Escape(message) ?? "", innerException)
    {
        ErrorId = errorId;
        Category = category;
        TargetValue = targetValue;
    }

    public UsernsException()
        : this("Unknown", UsernsErrorCategory.InvalidOperation, "Unknown error.")
    {
    }

    public UsernsException(string message)
        : this("Unknown", UsernsErrorCategory.InvalidOperation, message)
    {
    }

    public UsernsException(string message, Exception innerException)
        : this("Unknown", UsernsErrorCategory.InvalidOperation, message, null, innerException)
    {
    }

    public string ErrorId { get; }

    public UsernsErrorCategory Category { get; }

    public object? TargetValue { get; }
}
