using System.Text.Json;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// One UsernsTools/Setting instance document as DSC sends it, held to the manifest's instance schema: strict JSON (no
/// comments, no trailing commas), no unknown property, <c>scope</c> an array of "Runtime" and "Persistent" exactly as
/// spelled, <c>force</c> a boolean. What the schema refuses, this refuses, so a document behaves the same under DSC and by hand.
/// </summary>
internal sealed record DscRequest(SetSettingRequest Setting, bool HasValue, bool ValueIsNumber)
{
    public const string InvalidInput = "InvalidDscInput";

    public static DscRequest Parse(string json, bool requireValue)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            // The runtime's own message is a resource key in a trimmed build: say it in words.
            throw Invalid(
                $"The input is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); comments and trailing commas are not allowed.",
                json,
                ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("The input must be a JSON object.", json);
            }

            string? name = null;
            string? value = null;
            var valueIsNumber = false;
            var scope = ChangeScope.None;
            var force = false;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "name":
                        name = property.Value.ValueKind == JsonValueKind.String
                            ? property.Value.GetString()
                            : throw Invalid("\"name\" must be a string, a sysctl name such as user.max_user_namespaces.", property.Value.GetRawText());
                        break;
                    case "value":
                        (value, valueIsNumber) = property.Value.ValueKind switch
                        {
                            JsonValueKind.String when IsDigits(property.Value.GetString()) => (property.Value.GetString(), false),
                            JsonValueKind.String => throw Invalid("\"value\" must be a string of digits or an integer.", property.Value.GetRawText()),
                            JsonValueKind.Number => (property.Value.GetRawText(), true),
                            _ => throw Invalid("\"value\" must be a string of digits or an integer.", property.Value.GetRawText()),
                        };
                        break;
                    case "scope":
                        scope = ParseScope(property.Value);
                        break;
                    case "force":
                        force = property.Value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            _ => throw Invalid("\"force\" must be true or false.", property.Value.GetRawText()),
                        };
                        break;
                    case "_inDesiredState":
                        // Read-only; DSC may echo a state back.
                        if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
                        {
                            throw Invalid("\"_inDesiredState\" must be true, false or null.", property.Value.GetRawText());
                        }

                        break;
                    case "runtimeValue":
                    case "persistedValue":
                    case "persistedSource":
                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            throw Invalid($"\"{property.Name}\" must be a string.", property.Value.GetRawText());
                        }

                        break;
                    default:
                        throw Invalid($"Unknown property \"{property.Name}\".", property.Name);
                }
            }

            if (name is null)
            {
                throw Invalid("The input needs \"name\", a sysctl name such as user.max_user_namespaces.", json);
            }

            if (requireValue && value is null)
            {
                throw Invalid("The input needs \"value\".", json);
            }

            SettingDefinition definition;
            try
            {
                definition = SettingCatalog.GetWritable(name);
            }
            catch (UsernsException ex) when (ex.ErrorId == SettingErrorIds.BootOptionRequired)
            {
                // The schema lists the writable sysctls only: the RHEL 7 boot switch is input it refuses, as any name it
                // does not list (the same id and advice as Set-UsernsSetting).
                throw new UsernsException(ex.ErrorId, UsernsErrorCategory.InvalidArgument, ex.Message, ex.TargetValue, ex);
            }

            if (value is not null)
            {
                // Validates the value against the setting's range; the same ids as Set-UsernsSetting.
                definition.Normalize(value);
            }

            var setting = new SetSettingRequest(name, value ?? "")
            {
                Scope = scope == ChangeScope.None ? ChangeScope.Runtime | ChangeScope.Persistent : scope,
                Force = force,
            };
            return new DscRequest(setting, value is not null, valueIsNumber);
        }
    }

    private static ChangeScope ParseScope(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw Invalid("\"scope\" must be a non-empty array of \"Runtime\" and \"Persistent\".", element.GetRawText());
        }

        var scope = ChangeScope.None;
        foreach (var item in element.EnumerateArray())
        {
            var next = item.ValueKind == JsonValueKind.String ? item.GetString() switch
            {
                nameof(ChangeScope.Runtime) => ChangeScope.Runtime,
                nameof(ChangeScope.Persistent) => ChangeScope.Persistent,
                _ => ChangeScope.None,
            } : ChangeScope.None;
            if (next == ChangeScope.None)
            {
                throw Invalid($"Unknown scope {item.GetRawText()}: use \"Runtime\" or \"Persistent\".", item.GetRawText());
            }

            if (scope.HasFlag(next))
            {
                throw Invalid($"\"scope\" names {item.GetRawText()} twice.", item.GetRawText());
            }

            scope |= next;
        }

        return scope;
    }

    private static bool IsDigits(string? text) => !string.IsNullOrEmpty(text) && text.All(char.IsAsciiDigit);

    private static UsernsException Invalid(string message, string value, Exception? inner = null) =>
        new(InvalidInput, UsernsErrorCategory.InvalidData, message, value, inner);
}
