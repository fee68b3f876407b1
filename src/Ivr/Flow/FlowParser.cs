using System.Text.Json;
using NJsonSchema;
using Telephony.Ivr.Validation;

namespace Telephony.Ivr.Flow;

/// <summary>
/// Reads a flow document: JSON syntax, then the JSON Schema (flow.schema.json, embedded; NJsonSchema), then the
/// model. Never throws on bad text: the errors say where (a JSON path, or the node when the path names one).
/// </summary>
public static class FlowParser
{
    private static readonly Lazy<JsonSchema> LazySchema = new(() =>
    {
        using var stream = typeof(FlowParser).Assembly.GetManifestResourceStream("Telephony.Ivr.Flow.flow.schema.json")
            ?? throw new InvalidOperationException("flow.schema.json is not embedded in Telephony.Ivr");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    });

    public static JsonSchema Schema => LazySchema.Value;

    public static string SchemaText
    {
        get
        {
            using var stream = typeof(FlowParser).Assembly.GetManifestResourceStream("Telephony.Ivr.Flow.flow.schema.json")!;
            return new StreamReader(stream).ReadToEnd();
        }
    }

    public const int MaxBytes = 512 * 1024;

    public static (FlowDocument? Flow, IReadOnlyList<FlowError> Errors) Parse(string json)
    {
        if (json.Length > MaxBytes) return (null, [new(FlowErrorKind.Malformed, null, $"larger than {MaxBytes} bytes")]);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return (null, [new(FlowErrorKind.Malformed, null, $"not JSON: {e.Message}")]);
        }
        var schemaErrors = Schema.Validate(json);
        if (schemaErrors.Count > 0)
        {
            return (null, schemaErrors.Select(e => new FlowError(FlowErrorKind.Malformed, NodeOf(e.Path),
                $"{e.Path?.TrimStart('#', '/')}: {e.Kind}")).ToList());
        }
        try
        {
            var flow = JsonSerializer.Deserialize<FlowDocument>(json);
            return flow is null ? (null, [new(FlowErrorKind.Malformed, null, "empty document")]) : (flow, []);
        }
        catch (JsonException e)
        {
            return (null, [new(FlowErrorKind.Malformed, null, e.Message)]);
        }
    }

    /// <summary>Parse, then validate: the flow only when there is no error.</summary>
    public static (FlowDocument? Flow, IReadOnlyList<FlowError> Errors) ParseAndValidate(string json, ValidationContext context)
    {
        var (flow, errors) = Parse(json);
        if (flow is null) return (null, errors);
        var problems = FlowValidator.Validate(flow, context);
        return problems.Count == 0 ? (flow, []) : (null, problems);
    }

    public static string Serialize(FlowDocument flow) =>
        JsonSerializer.Serialize(flow, new JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

    // "#/nodes.greeting.next" or "#/nodes/greeting" → "greeting".
    private static string? NodeOf(string? path)
    {
        if (path is null) return null;
        var parts = path.TrimStart('#', '/').Split('.', '/');
        var i = Array.IndexOf(parts, "nodes");
        return i >= 0 && i + 1 < parts.Length ? parts[i + 1] : null;
    }
}
