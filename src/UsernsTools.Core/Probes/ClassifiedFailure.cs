namespace UsernsTools.Probes;

/// <summary>
/// What a helper's message says about a failure: the stage and the errno. <see cref="Recognized"/> is false when
/// the wording named no step; the stage is then only the prober's best guess.
/// </summary>
internal readonly record struct ClassifiedFailure(ProbeStage Stage, Errno Errno, bool Recognized);
