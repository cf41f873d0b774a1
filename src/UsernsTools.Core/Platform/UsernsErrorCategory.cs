namespace UsernsTools.Platform;

/// <summary>What kind of failure a <see cref="UsernsException"/> reports; front ends map it to their own categories and exit codes.</summary>
public enum UsernsErrorCategory
{
    InvalidArgument,
    ObjectNotFound,
    PermissionDenied,
    InvalidData,
    NotInstalled,
    ResourceUnavailable,
    OperationTimeout,
    WriteError,
    ReadError,
    InvalidOperation,
}
