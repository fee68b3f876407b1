using Microsoft.Extensions.Configuration;

namespace Telephony.Host.Agents;

/// <summary>
/// Whether a waiting caller is offered a callback instead of waiting on (docs/agents.md, "Callback"):
/// <c>Agents:Callback:Enabled</c> (default false: a callback needs the outbound trunk, <c>Trunk:Uri</c>) and
/// <c>Agents:Callback:OfferAfterSeconds</c> (default 30, from 1 to 3600: long enough that a caller who would be
/// answered soon is not asked). The offer (prompt <c>callback_offer</c>, "press 1") is made once; a 1 pressed from then
/// on requests the callback.
/// </summary>
public sealed record CallbackOptions(bool Enabled, TimeSpan OfferAfter)
{
    public const string OfferPrompt = "callback_offer";
    public const string ConfirmPrompt = "callback_confirm";

    /// <summary>The key that asks for the callback.</summary>
    public const char Key = '1';

    public static CallbackOptions Off { get; } = new(false, TimeSpan.FromSeconds(30));

    public static CallbackOptions From(IConfiguration configuration)
    {
        var enabled = configuration["Agents:Callback:Enabled"] is { Length: > 0 } text
            ? bool.TryParse(text, out var on) ? on : throw new InvalidOperationException($"Agents:Callback:Enabled must be true or false, not '{text}'")
            : Off.Enabled;
        var after = Off.OfferAfter;
        if (configuration["Agents:Callback:OfferAfterSeconds"] is { Length: > 0 } seconds)
        {
            if (!int.TryParse(seconds, out var s) || s is < 1 or > 3600)
                throw new InvalidOperationException($"Agents:Callback:OfferAfterSeconds: '{seconds}' is not a whole number of seconds from 1 to 3600");
            after = TimeSpan.FromSeconds(s);
        }
        return new CallbackOptions(enabled, after);
    }
}
