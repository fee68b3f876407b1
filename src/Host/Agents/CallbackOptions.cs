using Microsoft.Extensions.Configuration;

namespace Telephony.Host.Agents;

/// <summary>
/// Whether a waiting caller is offered a callback instead of waiting on (docs/agents.md, "Callback"):
/// <c>Agents:Callback:Enabled</c> (default false: a callback needs the outbound trunk, <c>Trunk:Uri</c>) and
/// <c>Agents:Callback:OfferAfterSeconds</c> (default 30, from 1 to 3600: long enough that a caller who would be
/// answered soon is not asked). The offer (prompt <c>callback_offer</c>, "press 1") is made once; a 1 pressed from then
/// on requests the callback. A citizen who cannot be reached is called again: <c>Agents:Callback:MaxAttempts</c>
/// (default 3, from 1 to 10) calls in all, <c>Agents:Callback:RetryAfterSeconds</c> (default 600, from 30 to 86400)
/// apart, since a busy or absent citizen is often there a few minutes later.
/// </summary>
public sealed record CallbackOptions(bool Enabled, TimeSpan OfferAfter)
{
    public const string OfferPrompt = "callback_offer";
    public const string ConfirmPrompt = "callback_confirm";

    /// <summary>The key that asks for the callback.</summary>
    public const char Key = '1';

    public static CallbackOptions Off { get; } = new(false, TimeSpan.FromSeconds(30));

    /// <summary>How many times the citizen is called before the request is given up as unreachable.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long after an unreachable attempt the call waits for an agent again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(600);

    public static CallbackOptions From(IConfiguration configuration)
    {
        var enabled = configuration["Agents:Callback:Enabled"] is { Length: > 0 } text
            ? bool.TryParse(text, out var on) ? on : throw new InvalidOperationException($"Agents:Callback:Enabled must be true or false, not '{text}'")
            : Off.Enabled;
        var after = WholeNumber(configuration, "Agents:Callback:OfferAfterSeconds", 1, 3600, "seconds") is { } offer
            ? TimeSpan.FromSeconds(offer) : Off.OfferAfter;
        return new CallbackOptions(enabled, after)
        {
            MaxAttempts = WholeNumber(configuration, "Agents:Callback:MaxAttempts", 1, 10, "attempts") ?? Off.MaxAttempts,
            RetryAfter = WholeNumber(configuration, "Agents:Callback:RetryAfterSeconds", 30, 86400, "seconds") is { } retry
                ? TimeSpan.FromSeconds(retry) : Off.RetryAfter,
        };
    }

    private static int? WholeNumber(IConfiguration configuration, string key, int min, int max, string unit)
    {
        if (configuration[key] is not { Length: > 0 } text) return null;
        if (!int.TryParse(text, out var n) || n < min || n > max)
            throw new InvalidOperationException($"{key}: '{text}' is not a whole number of {unit} from {min} to {max}");
        return n;
    }
}
