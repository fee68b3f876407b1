using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Telephony.Host.Api;

/// <summary>Reads a JSON request body with the app's serializer options; a bad body is a message for a 400, never an exception.</summary>
public static class JsonBody
{
    public static async Task<(T? Body, string? Error)> ReadAsync<T>(HttpRequest http) where T : class
    {
        if (!(http.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, "The body must be JSON (Content-Type: application/json).");
        var options = http.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(http.Body, options, http.HttpContext.RequestAborted);
            return body is null ? (null, "The body is empty.") : (body, null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON for this request: {e.Message}");
        }
    }
}
