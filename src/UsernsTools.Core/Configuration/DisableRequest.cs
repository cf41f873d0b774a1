namespace UsernsTools.Configuration;

/// <summary>Disable-UnprivilegedUserns: the hardening direction (user.max_user_namespaces = 0).</summary>
internal sealed record DisableRequest
{
    public ChangeScope Scope { get; init; } = ChangeScope.Runtime | ChangeScope.Persistent;

    public bool Force { get; init; }
}
