using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Configuration;
using Telephony.Ivr.Flow;
using Telephony.Ivr.Store;
using Telephony.Ivr.Validation;

namespace Telephony.Host.Api;

/// <summary>A rejection: every problem, each naming the node (null for the flow as a whole) and the reason.</summary>
public sealed record FlowErrorsBody(string Error, IReadOnlyList<FlowErrorDto> Errors);

public sealed record FlowErrorDto(string Kind, string? Node, string Reason);

public sealed record FlowSavedDto(string Name, int Version, bool Active);

/// <summary>
/// The admin API for IVR flows (docs/ivr.md "Admin API"): list, get, validate, save a new version, activate, roll
/// back. The store is <c>Ivr:FlowsFolder</c> (default data/flows), seeded from flows/*.json when a flow is missing;
/// prompts are checked against <c>Ivr:PromptCatalogue</c> (default prompts/prompts.tsv) and the prompt admin's store.
/// </summary>
public static class FlowsEndpoints
{
    public static IServiceCollection AddFlows(this IServiceCollection services, IConfiguration configuration)
    {
        var folder = RepositoryLayout.Resolve(configuration["Ivr:FlowsFolder"] ?? "data/flows");
        var catalogue = RepositoryLayout.Resolve(configuration["Ivr:PromptCatalogue"] ?? "prompts/prompts.tsv");
        var seeds = RepositoryLayout.Resolve(configuration["Ivr:SeedFlows"] ?? "flows");
        services.AddSingleton(sp =>
        {
            // The prompt admin's store (when registered) adds the replacements an admin uploaded, so a flow may use them.
            var prompts = sp.GetService<PromptStore>();
            var store = new FlowStore(folder, () => new ValidationContext(Catalogue(catalogue, prompts), _ => false));
            if (Directory.Exists(seeds))
                foreach (var seed in Directory.EnumerateFiles(seeds, "*.json")) store.ImportIfMissing(seed);
            return store;
        });
        return services;
    }

    private static IReadOnlySet<string> Catalogue(string catalogue, PromptStore? prompts)
    {
        var names = new HashSet<string>(File.Exists(catalogue) ? PromptCatalog.Load(catalogue) : new HashSet<string>());
        if (prompts is not null) names.UnionWith(prompts.Names());
        return names;
    }

    public static IEndpointRouteBuilder MapFlows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/flows").WithTags("Flows");
        group.MapGet("/", (FlowStore store) => Results.Ok(store.List()));
        group.MapGet("/schema", () => Results.Text(FlowParser.SchemaText, "application/schema+json"));
        group.MapGet("/{name}", (string name, int? version, FlowStore store) =>
            store.GetText(name, version) is { } text ? Results.Text(text, "application/json") : Results.NotFound(new ErrorBody($"no flow '{name}'{(version is null ? "" : $" v{version}")}")));
        group.MapPost("/validate", async (HttpRequest request, FlowStore store) =>
        {
            var body = await ReadAsync(request);
            var result = store.Check(body);
            return result.Count == 0 ? Results.Ok(new { valid = true }) : Rejected(result);
        });
        group.MapPost("/", async (HttpRequest request, bool? activate, FlowStore store) =>
        {
            var body = await ReadAsync(request);
            var result = store.Save(body, activate ?? false);
            if (!result.Ok) return Rejected(result.Errors);
            var name = FlowParser.Parse(body).Flow!.Name;
            return Results.Created($"/api/flows/{name}?version={result.Version}", new FlowSavedDto(name, result.Version!.Value, activate ?? false));
        });
        group.MapPost("/{name}/activate/{version:int}", (string name, int version, FlowStore store) =>
        {
            var result = store.Activate(name, version);
            return result.Ok ? Results.Ok(new FlowSavedDto(name, version, true)) : Rejected(result.Errors);
        });
        group.MapPost("/{name}/rollback", (string name, FlowStore store) =>
        {
            var result = store.RollBack(name);
            return result.Ok ? Results.Ok(new FlowSavedDto(name, result.Version!.Value, true)) : Rejected(result.Errors);
        });
        return app;
    }

    private static async Task<string> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[FlowParser.MaxBytes + 1];
        var read = await reader.ReadBlockAsync(buffer);
        return new string(buffer, 0, read);
    }

    private static IResult Rejected(IReadOnlyList<FlowError> errors) =>
        Results.BadRequest(new FlowErrorsBody(string.Join("; ", errors.Select(e => e.ToString())),
            errors.Select(e => new FlowErrorDto(e.Kind.ToString(), e.Node, e.Reason)).ToList()));
}
