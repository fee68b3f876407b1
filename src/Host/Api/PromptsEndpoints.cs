using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Telephony.Host.Engine;
using Telephony.Host.Speech;
using Telephony.Ivr.Flow;
using Telephony.Ivr.Store;

namespace Telephony.Host.Api;

/// <summary>The body of <c>PUT /api/prompts/{name}/text</c>: what espeak-ng should say (Chinese, or tone-numbered pinyin).</summary>
public sealed record PromptTextRequest(string? Text);

/// <summary>
/// The prompt admin API (docs/ivr.md "Prompts"): list, download, upload a WAV, synthesize from text, delete a
/// replacement. Every change reloads the engine's prompt library, so the next call hears it; a call in progress
/// keeps the audio it was answered with. A refused request writes nothing.
/// </summary>
public static class PromptsEndpoints
{
    public const int MaxTextLength = 500;

    public static IServiceCollection AddPrompts(this IServiceCollection services, IConfiguration configuration)
    {
        var text = configuration["Prompts:MaxSeconds"] ?? "60";
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 600)
            throw new InvalidOperationException($"Prompts:MaxSeconds must be a whole number from 1 to 600, not '{text}'");
        services.AddSingleton(new PromptStore(MediaConfiguration.PromptsFolder(configuration), MediaConfiguration.CustomPromptsFolder(configuration), TimeSpan.FromSeconds(seconds)));
        services.TryAddSingleton<TextToSpeech>();
        return services;
    }

    public static IEndpointRouteBuilder MapPrompts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/prompts").WithTags("Prompts");
        group.MapGet("/", (PromptStore store) => Results.Ok(store.List())).Produces<List<PromptInfo>>();

        group.MapGet("/{name}", (string name, PromptStore store) =>
            store.Info(name) is { } info ? Results.Ok(info) : NoPrompt(name)).Produces<PromptInfo>().Produces<ErrorBody>(404);

        group.MapGet("/{name}/wav", (string name, PromptStore store) =>
        {
            if (store.FileOf(name) is not { } path) return NoPrompt(name);
            // Read whole: a replacement renamed over the file a moment later must not cut this download short.
            return Results.File(File.ReadAllBytes(path), "audio/wav", name + ".wav");
        }).Produces(200, contentType: "audio/wav").Produces<ErrorBody>(404);

        group.MapPut("/{name}/wav", async (string name, HttpRequest http, PromptStore store, IServiceProvider services, ILogger<PromptStore> log) =>
        {
            if (!PromptStore.NamePattern.IsMatch(name)) return BadName(name);
            var (bytes, tooLong) = await ReadAsync(http, store.MaxBytes);
            if (tooLong) return TicketsEndpoints.Bad($"the file is larger than {store.MaxBytes} bytes: prompts are at most {store.MaxLength.TotalSeconds:0} s");
            if (bytes.Length == 0) return TicketsEndpoints.Bad("the body is empty: send the WAV file (Content-Type: audio/wav)");
            if (store.Check(bytes) is { } reason) return TicketsEndpoints.Bad(reason);
            store.Replace(name, bytes);
            Reload(services);
            log.LogInformation("Prompt {Prompt} replaced by an uploaded file of {Bytes} bytes", name, bytes.Length);
            return Results.Ok(store.Info(name));
        }).Accepts<byte[]>("audio/wav", "audio/x-wav", "audio/wave", "application/octet-stream").Produces<PromptInfo>().Produces<ErrorBody>(400);

        group.MapPut("/{name}/text", async (string name, HttpRequest http, PromptStore store, TextToSpeech tts, IServiceProvider services, ILogger<PromptStore> log) =>
        {
            if (!PromptStore.NamePattern.IsMatch(name)) return BadName(name);
            var (body, error) = await JsonBody.ReadAsync<PromptTextRequest>(http);
            if (body is null) return TicketsEndpoints.Bad(error!);
            if (string.IsNullOrWhiteSpace(body.Text)) return TicketsEndpoints.Bad("text is required (what the prompt should say).");
            var text = body.Text.Trim();
            if (text.Length > MaxTextLength) return TicketsEndpoints.Bad($"text is longer than {MaxTextLength} characters.");
            var pcm = await tts.SynthesizeAsync(text, 16000, http.HttpContext.RequestAborted);
            if (pcm is null)
                return Results.Json(new ErrorBody("speech synthesis failed (espeak-ng and sox must be installed: scripts/setup.d/10-apt.sh); the prompt is unchanged"),
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            if (pcm.Length == 0) return TicketsEndpoints.Bad("the text synthesizes to no audio.");
            if (pcm.Length > store.MaxLength.TotalSeconds * 16000)
                return TicketsEndpoints.Bad($"the text is {pcm.Length / 16000.0:0.0} s long spoken: prompts are at most {store.MaxLength.TotalSeconds:0} s");
            store.ReplaceSynthesized(name, pcm, text);
            Reload(services);
            log.LogInformation("Prompt {Prompt} synthesized from text ({Seconds:0.0} s)", name, pcm.Length / 16000.0);
            return Results.Ok(store.Info(name));
        }).Accepts<PromptTextRequest>("application/json").Produces<PromptInfo>().Produces<ErrorBody>(400).Produces<ErrorBody>(503);

        group.MapDelete("/{name}", (string name, PromptStore store, IServiceProvider services, ILogger<PromptStore> log) =>
        {
            if (store.Info(name) is not { } info) return NoPrompt(name);
            if (!info.Custom) return Results.NotFound(new ErrorBody($"prompt '{name}' has no replacement: it already is the default"));
            // A prompt with nothing to fall back to would leave a flow playing silence: refuse while one uses it.
            if (!info.HasDefault && UsedBy(name, services.GetService<FlowStore>()) is { Count: > 0 } flows)
                return Results.Conflict(new ErrorBody($"prompt '{name}' has no default and is used by {string.Join(", ", flows)}: change those flows first"));
            store.Delete(name);
            Reload(services);
            log.LogInformation("Prompt {Prompt} back to its default", name);
            return store.Info(name) is { } now ? Results.Ok(now) : Results.NoContent();
        }).Produces<PromptInfo>().Produces(204).Produces<ErrorBody>(404).Produces<ErrorBody>(409);
        return app;
    }

    /// <summary>The flows whose active version (or a sub-flow of it) plays <paramref name="prompt"/>, as "flow 'x' v2".</summary>
    public static IReadOnlyList<string> UsedBy(string prompt, FlowStore? flows)
    {
        if (flows is null) return [];
        var users = new List<string>();
        foreach (var info in flows.List())
        {
            if (info.Active is not { } active || flows.GetText(info.Name, active) is not { } text) continue;
            var (flow, _) = FlowParser.Parse(text);
            if (flow is not null && flow.Nodes.Values.Any(n => n.Prompts.Contains(prompt) || n.InvalidPrompts.Contains(prompt)))
                users.Add($"flow '{info.Name}' v{active}");
        }
        return users;
    }

    // The engine is absent in a test app without SIP; then there is nothing to reload.
    private static void Reload(IServiceProvider services) => services.GetService<MediaEngine>()?.ReloadPrompts();

    private static async Task<(byte[] Bytes, bool TooLong)> ReadAsync(HttpRequest http, long max)
    {
        if (http.ContentLength > max) return ([], true);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, http.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max) return ([], true);
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), false);
    }

    private static IResult NoPrompt(string name) => Results.NotFound(new ErrorBody($"no prompt '{name}'"));

    private static IResult BadName(string name) =>
        TicketsEndpoints.Bad($"'{name}' is not a prompt name: lower-case letters, digits and '_', at most 64 characters");
}
