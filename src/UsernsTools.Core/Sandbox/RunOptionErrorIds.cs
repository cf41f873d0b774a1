namespace UsernsTools.Sandbox;

/// <summary>The error ids of <see cref="RunOptions"/> and <see cref="RunOptionText"/>, for scripts that match on them.</summary>
internal static class RunOptionErrorIds
{
    public const string MappingConflict = "RunOptionMappingConflict";
    public const string MapGroupWithoutMapUser = "RunOptionMapGroupWithoutMapUser";
    public const string UnknownNamespaceKind = "RunOptionUnknownNamespaceKind";
    public const string InvalidEnvironmentEntry = "RunOptionInvalidEnvironmentEntry";
    public const string InvalidBindMount = "RunOptionInvalidBindMount";
}
