namespace UsernsTools.Sandbox;

/// <summary>The error ids the sandbox throws, so front ends and scripts can match on them.</summary>
internal static class SandboxErrorIds
{
    public const string FilePathMissing = "NamespaceSpecFilePathMissing";
    public const string ArgumentContainsNul = "NamespaceSpecArgumentContainsNul";
    public const string InvalidHostname = "NamespaceSpecInvalidHostname";
    public const string MapUserIdMissing = "NamespaceSpecMapUserIdMissing";
    public const string MapIdWithoutUserMapping = "NamespaceSpecMapIdWithoutUserMapping";
    public const string MapIdOutOfRange = "NamespaceSpecMapIdOutOfRange";
    public const string PathNotAbsolute = "NamespaceSpecPathNotAbsolute";
    public const string InvalidEnvironmentName = "NamespaceSpecInvalidEnvironmentName";
    public const string TimeoutNotPositive = "NamespaceSpecTimeoutNotPositive";
    public const string TimeoutTooLong = "NamespaceSpecTimeoutTooLong";
    public const string PidNamespaceConflict = "NamespaceSpecPidNamespaceConflict";
    public const string NotUtf8 = "SandboxTextNotUtf8";
    public const string UnshareVersionTooOld = "UnshareVersionTooOld";
    public const string UnshareLacksFeature = "UnshareLacksFeature";
    public const string BwrapLacksFeature = "BwrapLacksFeature";
    public const string BwrapVersionTooOld = "BwrapVersionTooOld";
    public const string BackendNotFound = "SandboxBackendNotFound";
    public const string SetprivNotFound = "SandboxSetprivNotFound";
    public const string NoBackendForSpec = "NoSandboxBackendForSpec";
    public const string StartFailed = "SandboxStartFailed";
    public const string ProcessNotFound = "ProcessNotFound";
    public const string ProgramNotFound = "ProgramNotFound";
    public const string ProgramNotExecutable = "ProgramNotExecutable";
    public const string WorkingDirectoryNotFound = "WorkingDirectoryNotFound";
    public const string BindMountSourceNotFound = "BindMountSourceNotFound";
    public const string BindMountTargetOnHost = "BindMountTargetOnHost";
    public const string UserNamespacesTurnedOff = "UserNamespacesTurnedOff";
    public const string SubordinateIdsMissing = "SubordinateIdsMissing";
}
