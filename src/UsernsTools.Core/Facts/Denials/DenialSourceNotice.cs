using UsernsTools.Diagnosis;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Something the reader could not read, or chose not to, said so the front end can show it (WriteWarning,
/// WriteVerbose, WriteError for an explicit -Path) instead of returning nothing silently.
/// </summary>
internal sealed record DenialSourceNotice(string Source, Severity Severity, string ErrorId, string Message);
