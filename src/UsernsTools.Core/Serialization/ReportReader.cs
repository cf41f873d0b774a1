using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Platform;

namespace UsernsTools.Serialization;

/// <summary>
/// Reads a status report or snapshot file recorded on some machine. A report is untrusted input: anything that is not
/// a report this version understands is refused with a message that names what is wrong, never diagnosed as if it were.
/// </summary>
internal static class ReportReader
{
    /// <summary>Far above any real report (a few hundred KiB at most), low enough that reading it cannot exhaust memory.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly HashSet<(Type Owner, string Property)> s_optional = new()
    {
        (typeof(EnvironmentFacts), "procOvermounts"),
        (typeof(BwrapProbeResult), "installation"),
        (typeof(MachineFacts), "subordinateIdsInUse"),
    };

    private static readonly HashSet<Type> s_listTypes = new()
    {
        typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>), typeof(IList<>), typeof(ICollection<>), typeof(IEnumerable<>), typeof(List<>),
    };

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static UsernsSnapshot Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            // What an unset variable in a script gives ("--from $REPORT"): no file at all, not one that is missing.
            throw new UsernsException("ReportPathEmpty", UsernsErrorCategory.InvalidArgument, "No report file was given: the path is empty.", path);
        }

        if (Directory.Exists(path))
        {
            throw new UsernsException("ReportIsDirectory", UsernsErrorCategory.ObjectNotFound, $"Report file '{path}' is a directory.", path);
        }

        byte[] bytes;
        try
        {
            bytes = ReadBounded(path);
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
        catch (PathTooLongException ex)
        {
            // Its own message is a resource key in the native build, and repeats the path.
            throw new UsernsException("ReportNotReadable", UsernsErrorCategory.InvalidArgument, $"Report file '{path}' cannot be read: the path is too long.", path, ex);
        }
        catch (IOException ex)
        {
            throw new UsernsException("ReportNotReadable", UsernsErrorCategory.InvalidData, $"Report file '{path}' cannot be read: {ex.Message}", path, ex);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new UsernsException("ReportInvalidUtf8", UsernsErrorCategory.InvalidData, $"Report '{path}' is not a UsernsTools report: it is not valid UTF-8 text.", path, ex);
        }

        return Parse(text.StartsWith('\uFEFF') ? text[1..] : text, path);
    }

    /// <summary>
    /// Reads at most <see cref="MaxBytes"/> plus one byte, whatever the file claims its length is (/dev/zero, a FIFO and
    /// /proc files claim none), so that an endless or huge input is refused without being held in memory.
    /// </summary>
    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxBytes + 1L - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                throw new UsernsException(
                    "ReportTooLarge",
                    UsernsErrorCategory.InvalidData,
                    $"Report '{path}' is larger than {MaxBytes / (1024 * 1024)} MiB: no UsernsTools report is that large.",
                    path);
            }
        }

        return buffer.ToArray();
    }

    public static UsernsSnapshot Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxBytes)
        {
            throw new UsernsException("ReportTooLarge", UsernsErrorCategory.InvalidData, $"Report '{source}' is larger than {MaxBytes / (1024 * 1024)} MiB: no UsernsTools report is that large.", source);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new UsernsException("ReportInvalidJson", UsernsErrorCategory.InvalidData, $"Report '{source}' is not a UsernsTools report: invalid JSON{Line(ex)}.", source, ex);
        }

        if (root is not null and not JsonObject)
        {
            // Valid JSON, so "invalid JSON" (what the model's reader says of it) would send the user looking for a typo.
            throw NotAnObject(source, root.GetValueKind());
        }

        // A status PowerShell wrote (Get-UsernsStatus | ConvertTo-Json) names its properties as the objects do: read with
        // the report's own names, it is the same report. Its type errors are found in the tree (no line numbers there).
        var written = PowerShellWritten(root);
        if (written)
        {
            root = CamelCased(root!);
        }

        // The version says how to read the rest, so it is read first: a newer report may keep its facts elsewhere, in
        // shapes this version would call invalid.
        var schemaVersion = SchemaVersion(root, source);
        if (!written)
        {
            // Into the model as written, so that a value of the wrong type is reported with its property and line.
            try
            {
                _ = JsonSerializer.Deserialize(json, UsernsJsonContext.Default.UsernsSnapshot);
            }
            catch (JsonException ex)
            {
                throw Invalid(ex, source);
            }
        }

        try
        {
            return Snapshot(root, source, schemaVersion);
        }
        catch (UsernsException ex) when (written && ex.ErrorId is "ReportInvalidValue" or "ReportInvalidJson")
        {
            // The usual causes: ConvertTo-Json's default depth of 2 writes deeper objects as their type name, and enums
            // are numbers unless asked for as names.
            throw new UsernsException(
                ex.ErrorId,
                UsernsErrorCategory.InvalidData,
                ex.Message + " A status saved with ConvertTo-Json is read back when it was written with -Depth 10 -EnumsAsStrings.",
                source,
                ex);
        }
    }

    /// <summary>The report's schema version when it has one; refuses one that is not a whole number, below 1 or newer than 1.</summary>
    private static int? SchemaVersion(JsonNode? root, string source)
    {
        if (root is not JsonObject report || !report.TryGetPropertyValue("schemaVersion", out var version) || version is null)
        {
            return null;
        }

        var schemaVersion = version is JsonValue value && value.TryGetValue<int>(out var number)
            ? number
            : throw new UsernsException("ReportInvalidValue", UsernsErrorCategory.InvalidData, $"Report '{source}' is not a UsernsTools report: schemaVersion: expected a whole number.", source);
        return schemaVersion switch
        {
            < 1 => throw new UsernsException("ReportSchemaInvalid", UsernsErrorCategory.InvalidData, $"Report '{source}' has schema version {schemaVersion.ToString(CultureInfo.InvariantCulture)}; report versions start at 1.", source),
            > 1 => throw new UsernsException("ReportSchemaTooNew", UsernsErrorCategory.InvalidData, $"Report '{source}' has schema version {schemaVersion.ToString(CultureInfo.InvariantCulture)}; this version of UsernsTools reads version 1.", source),
            _ => schemaVersion,
        };
    }

    private static UsernsSnapshot Snapshot(JsonNode? root, string source, int? schemaVersion)
    {
        if (root is not JsonObject report || report["facts"] is not JsonObject facts || facts["subject"] is not JsonObject)
        {
            throw MissingFacts(source);
        }

        // A report without a version is not ours (one no version ever wrote was refused when the version was read).
        if (schemaVersion is null)
        {
            throw new UsernsException("ReportSchemaMissing", UsernsErrorCategory.InvalidData, $"Report '{source}' has no 'schemaVersion'; record one with 'usernstools status --json'.", source);
        }

        // A null section is diagnosed without it (as if left out); a null in a list is no value at all: refuse it.
        DropNulls(report, UsernsJsonContext.Default.UsernsSnapshot, "", source);
        UsernsSnapshot? snapshot;
        try
        {
            snapshot = report.Deserialize(UsernsJsonContext.Default.UsernsSnapshot);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex, source);
        }

        if (snapshot is null || string.IsNullOrEmpty(snapshot.Facts.Subject?.User))
        {
            throw MissingFacts(source);
        }

        return snapshot;
    }

    /// <summary>Whether the report names its properties as PowerShell does (Facts, SchemaVersion), not as reports do.</summary>
    private static bool PowerShellWritten(JsonNode? root)
        => root is JsonObject report && !report.ContainsKey("facts") && report.ContainsKey("Facts");

    /// <summary>A copy of <paramref name="node"/> with every property name camelCased as the report's own names are.</summary>
    private static JsonNode? CamelCased(JsonNode? node, int depth = 0)
    {
        switch (node)
        {
            case JsonObject obj when depth <= 64:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    var camel = JsonNamingPolicy.CamelCase.ConvertName(name);
                    if (!copy.ContainsKey(camel))
                    {
                        copy[camel] = CamelCased(value, depth + 1);
                    }
                }

                return copy;
            case JsonArray array when depth <= 64:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(CamelCased(item, depth + 1));
                }

                return items;
            default:
                return node?.DeepClone();
        }
    }

    private static UsernsException NotAnObject(string source, JsonValueKind kind)
    {
        var what = kind switch
        {
            JsonValueKind.Array => "an array (a report is one status: ConvertTo-Json of several statuses writes them as an array; save one per file)",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "true or false",
        };
        return new("ReportMissingFacts", UsernsErrorCategory.InvalidData, $"Report '{source}' holds {what}, not an object with 'facts'; record one with 'usernstools status --json'.", source);
    }

    private static UsernsException MissingFacts(string source) =>
        new("ReportMissingFacts", UsernsErrorCategory.InvalidData, $"Report '{source}' has no 'facts' with a subject; record one with 'usernstools status --json'.", source);

    /// <summary>Names the property a parse failed at and what it expected there, not only a line number.</summary>
    private static UsernsException Invalid(JsonException ex, string source)
    {
        var where = Line(ex);
        var property = PropertyPath(ex.Path);
        if (property.Length > 0 && Expected(ex.Path) is { } expected)
        {
            return new UsernsException("ReportInvalidValue", UsernsErrorCategory.InvalidData, $"Report '{source}' is not a UsernsTools report: {property}: expected {expected}{where}.", source, ex);
        }

        return new UsernsException("ReportInvalidJson", UsernsErrorCategory.InvalidData, $"Report '{source}' is not a UsernsTools report: invalid JSON{where}.", source, ex);
    }

    private static string Line(JsonException ex) => ex.LineNumber is long line ? $" at line {(line + 1).ToString(CultureInfo.InvariantCulture)}" : "";

    /// <summary>
    /// Gives each property the model declares non-nullable a value when the report leaves it out or sets it to null (an
    /// empty object, list or string, so the section is diagnosed as empty and nothing downstream meets a null it does
    /// not expect), and refuses null list elements, naming where they are. The serializer cannot do the first itself:
    /// it sets a missing init-only property to null, not to its initializer.
    /// </summary>
    private static void DropNulls(JsonNode node, JsonTypeInfo info, string path, string source, int depth = 0)
    {
        if (depth > 32)
        {
            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when node is JsonObject obj:
                foreach (var property in info.Properties)
                {
                    var name = property.Name;
                    var here = path.Length == 0 ? name : path + "." + name;
                    if (!obj.TryGetPropertyValue(name, out var value) || value is null)
                    {
                        // A null number or switch is left for the type check, which names it.
                        if (!property.PropertyType.IsValueType && DeclaredNonNullable(info, property) && Empty(property.PropertyType) is { } empty)
                        {
                            obj[name] = empty;
                            if (UsernsJsonContext.Default.GetTypeInfo(property.PropertyType) is { } filled)
                            {
                                DropNulls(empty, filled, here, source, depth + 1);
                            }
                        }

                        continue;
                    }

                    if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).IsEnum
                        && value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
                    {
                        // A number means whatever the writer's version numbered that name: reports carry the names.
                        throw new UsernsException("ReportInvalidValue", UsernsErrorCategory.InvalidData, $"Report '{source}' is not a UsernsTools report: {here}: expected {Describe(property.PropertyType)}, not a number.", source);
                    }

                    if (UsernsJsonContext.Default.GetTypeInfo(property.PropertyType) is { } child)
                    {
                        DropNulls(value, child, here, source, depth + 1);
                    }
                }

                break;
            case JsonTypeInfoKind.Enumerable when node is JsonArray array && ElementType(info.Type) is { } elementType:
                var elementInfo = UsernsJsonContext.Default.GetTypeInfo(elementType);
                for (var i = 0; i < array.Count; i++)
                {
                    var here = $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";
                    if (array[i] is not { } element)
                    {
                        throw new UsernsException("ReportInvalidValue", UsernsErrorCategory.InvalidData, $"Report '{source}' is not a UsernsTools report: {here}: expected {Describe(elementType) ?? "a value"}, not null.", source);
                    }

                    if (elementInfo is not null)
                    {
                        DropNulls(element, elementInfo, here, source, depth + 1);
                    }
                }

                break;
        }
    }

    /// <summary>
    /// Whether a left-out section gets an empty value: every object and list of the model does, but the two that are
    /// optional on purpose (null means "not read" or "not found", not "none"). Named here, because neither the
    /// source-generated metadata nor a native build carries nullable annotations to read.
    /// </summary>
    private static bool DeclaredNonNullable(JsonTypeInfo owner, JsonPropertyInfo property) =>
        UsernsJsonContext.Default.GetTypeInfo(property.PropertyType)?.Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Enumerable
        && !s_optional.Contains((owner.Type, property.Name));

    private static JsonNode? Empty(Type type)
    {
        if (type == typeof(string))
        {
            return JsonValue.Create("");
        }

        return UsernsJsonContext.Default.GetTypeInfo(type)?.Kind switch
        {
            JsonTypeInfoKind.Object => new JsonObject(),
            JsonTypeInfoKind.Enumerable => new JsonArray(),
            _ => null,
        };
    }

    private static readonly Regex PathSegment = new(@"\.(?<name>[^.\[]+)|\['(?<name>[^']*)'\]|\[(?<index>\d+)\]", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    /// <summary>"$.facts.process.seccomp" as "facts.process.seccomp".</summary>
    private static string PropertyPath(string? jsonPath) => string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "" : jsonPath.TrimStart('$').TrimStart('.');

    /// <summary>What the model expects at a path the serializer reported, found by walking the report's type.</summary>
    private static string? Expected(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath))
        {
            return null;
        }

        Type type = typeof(UsernsSnapshot);
        foreach (Match segment in PathSegment.Matches(jsonPath))
        {
            var info = UsernsJsonContext.Default.GetTypeInfo(type);
            if (info is null)
            {
                return null;
            }

            if (segment.Groups["index"].Success)
            {
                if (ElementType(info.Type) is not { } element)
                {
                    return null;
                }

                type = element;
                continue;
            }

            var name = segment.Groups["name"].Value;
            var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
        }

        return Describe(type);
    }

    /// <summary>T of the list types the model uses (IReadOnlyList&lt;T&gt;, arrays).</summary>
    internal static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && s_listTypes.Contains(type.GetGenericTypeDefinition()) ? type.GetGenericArguments()[0] : null;
    }

    private static string? Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal:
                return "a number";
            case TypeCode.Boolean:
                return "true or false";
            case TypeCode.String:
                return "a string";
            case TypeCode.DateTime:
                return "a date and time";
        }

        if (type == typeof(DateTimeOffset))
        {
            return "a date and time";
        }

        return UsernsJsonContext.Default.GetTypeInfo(type)?.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Object => "an object",
            _ => null,
        };
    }
}
