using System.Text.Json;
using UsernsTools.Diagnosis;
using UsernsTools.Platform;

namespace UsernsTools.Serialization;

/// <summary>Reads a status report or snapshot file recorded on some machine.</summary>
internal static class ReportReader
{
    public static UsernsSnapshot Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new UsernsException("ReportNotFound", UsernsErrorCategory.ObjectNotFound, $"Report file '{path}' does not exist.", path, ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new UsernsException("ReportNotFound", UsernsErrorCategory.ObjectNotFound, $"Report file '{path}' does not exist.", path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UsernsException("ReportNotReadable", UsernsErrorCategory.PermissionDenied, $"Report file '{path}' cannot be read: permission denied.", path, ex);
        }
        catch (IOException ex)
        {
            throw new UsernsException("ReportNotReadable", UsernsErrorCategory.InvalidData, $"Report file '{path}' cannot be read: {ex.Message}", path, ex);
        }

        return Parse(text, path);
    }

    public static UsernsSnapshot Parse(string json, string source)
    {
        UsernsSnapshot? snapshot;
        try
        {
            snapshot = JsonSerializer.Deserialize(json, UsernsJsonContext.Default.UsernsSnapshot);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is long line ? $" at line {line + 1}" : "";
            throw new UsernsException("ReportInvalidJson", UsernsErrorCategory.InvalidData, $"Report '{source}' is not a UsernsTools report: invalid JSON{where}.", source, ex);
        }

        if (snapshot is null || snapshot.Facts is null || string.IsNullOrEmpty(snapshot.Facts.Subject?.User))
        {
            throw new UsernsException("ReportMissingFacts", UsernsErrorCategory.InvalidData, $"Report '{source}' has no 'facts' with a subject; record one with 'usernstools status --json'.", source);
        }

        if (snapshot.SchemaVersion > 1)
        {
            throw new UsernsException("ReportSchemaTooNew", UsernsErrorCategory.InvalidData, $"Report '{source}' has schema version {snapshot.SchemaVersion}; this version of UsernsTools reads version 1.", source);
        }

        return snapshot;
    }
}
