using UsernsTools.Diagnosis;
using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Something the reader could not read, or chose not to, said so the front end can show it (WriteWarning,
/// WriteVerbose, WriteError for an explicit -Path) instead of returning nothing silently. <see cref="Category"/> is
/// what kind of failure it is when the front end reports it as an error, as a <see cref="UsernsException"/> says it.
/// </summary>
internal sealed record DenialSourceNotice(string Source, Severity Severity, string ErrorId, string Message, UsernsErrorCategory Category = UsernsErrorCategory.ReadError);
