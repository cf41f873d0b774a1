namespace UsernsTools.Probes.Bwrap;

/// <summary>What a bwrap error message means: the family, its errno, the stage that failed and the recognised line.</summary>
internal readonly record struct BwrapClassification(BwrapErrorKind Kind, Errno Errno, ProbeStage Stage, string? Message, string Explanation);
