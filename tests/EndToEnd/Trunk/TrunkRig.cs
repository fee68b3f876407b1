using System.Text.RegularExpressions;
using Telephony.EndToEnd.Agents;
using Telephony.EndToEnd.Media;
using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.EndToEnd.Trunk;

/// <summary>
/// The three parties of a trunk test: the 119 gateway (a baresip called directly, no registration), the hotline in
/// process running <c>trunk-e2e.json</c> with <c>Trunk:Numbers:119</c> pointing at the gateway, and the citizen's
/// baresip, which dials 12345 and presses 1. Stops all three, citizen first, whatever happened.
/// </summary>
internal sealed class TrunkRig : IAsyncDisposable
{
    public const string CitizenNumber = "13812345678";

    private readonly List<IAsyncDisposable> _started = [];

    public Baresip Gateway { get; private set; } = null!;
    public InProcessHotline Hotline { get; private set; } = null!;
    public Baresip Citizen { get; private set; } = null!;
    /// <summary>When the citizen's call was established (its audio file starts about then).</summary>
    public DateTime CitizenStart { get; private set; }

    public string Log() => TextTail.Of(Hotline.Log, 12000);

    public static async Task<TrunkRig> StartAsync(string scratch, BaresipOptions gateway, int ringTimeoutSeconds, BaresipOptions citizen)
    {
        var model = RepositoryPaths.RequireShared("models/test/for-tests-ggml-tiny.bin");
        var prompts = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"), 8000);
        if (!prompts.TryGet("emergency_offer", out _) || !prompts.TryGet("transfer_unavailable", out _))
            Assert.Fail("The prompts are not synthesized: run ./hotline setup (scripts/setup.d/40-prompts.sh).");
        var seeds = Path.Combine(scratch, "seeds");
        Directory.CreateDirectory(seeds);
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests/EndToEnd/Trunk/trunk-e2e.json"), Path.Combine(seeds, "trunk-e2e.json"), overwrite: true);

        var rig = new TrunkRig();
        try
        {
            rig.Gateway = await rig.Keep(Baresip.StartAsync(gateway));
            rig.Hotline = await rig.Keep(InProcessHotline.StartAsync(new Dictionary<string, string?>
            {
                ["Accounts:0:User"] = CitizenNumber, ["Accounts:0:Password"] = "citizen-secret",
                ["Ivr:Enabled"] = "true",
                ["Ivr:Flow"] = "trunk-e2e",
                ["Ivr:SeedFlows"] = seeds,
                ["Ivr:FlowsFolder"] = Path.Combine(scratch, "flows"),
                ["Paths:Recordings"] = Path.Combine(scratch, "recordings"),
                ["Speech:Model"] = model,
                ["Database:ConnectionString"] = $"Data Source={Path.Combine(scratch, "tickets.db")}",
                ["Trunk:Numbers:119"] = rig.Gateway.DirectUri,
                ["Trunk:RingTimeoutSeconds"] = ringTimeoutSeconds.ToString(),
            }));
            rig.Citizen = await rig.Keep(Baresip.StartAsync(citizen));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The citizen calls 12345, hears the offer start, and presses 1; returns when the gateway reports
    /// <paramref name="gatewayEvent"/> (a ringing phone: CALL_INCOMING; one that answers by itself: CALL_ESTABLISHED).
    /// </summary>
    public async Task PressOneAsync(string gatewayEvent = BaresipEvents.CallIncoming)
    {
        await Citizen.DialAsync($"sip:12345@{Hotline.SipTarget}");
        await Citizen.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        CitizenStart = DateTime.UtcNow;
        await Task.Delay(1500);
        await Citizen.SendDtmfAsync("1");
        try { await Gateway.WaitForEventAsync(gatewayEvent, TimeSpan.FromSeconds(15)); }
        catch (AssertionException) { TestContext.Out.WriteLine($"The gateway never got the call ({gatewayEvent}). Hotline log:\n{Log()}"); throw; }
    }

    /// <summary>The prompts the flow played, from its closing log line.</summary>
    public async Task<string> PlayedAsync()
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var m = Regex.Match(Hotline.Log, @"flow ""?trunk-e2e""? v\d+ \w+, played ""?([^""\r\n]*)");
            if (m.Success) return m.Groups[1].Value.Trim();
        }
        Assert.Fail($"the hotline never logged the end of the flow. Log:\n{Log()}");
        return "";
    }

    /// <summary>What <paramref name="phone"/> heard on its (first) call, at 8 kHz.</summary>
    public async Task<short[]> HeardAsync(Baresip phone)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); phone.Recordings.Count == 0; await Task.Delay(100))
            if (DateTime.UtcNow > deadline) Assert.Fail($"{phone.Options.Account.User}'s baresip recorded nothing. Log:\n{Log()}");
        await Task.Delay(500); // the sndfile module writes its header when the call closes
        var wav = WavReader.Read(phone.Recordings[0]);
        return wav.SampleRate == 8000 ? wav.Samples : AudioMatch.To8k(wav.Samples);
    }

    /// <summary>A phrase said over and over with short pauses for <paramref name="seconds"/>, after <paramref name="lead"/> seconds of silence.</summary>
    public static short[] Talk(short[] phrase, double seconds, double lead = 0)
    {
        var pcm = new short[(int)((lead + seconds) * 8000)];
        var gap = (int)(0.2 * 8000);
        for (var at = (int)(lead * 8000); at < pcm.Length; at += phrase.Length + gap)
            phrase.AsSpan(0, Math.Min(phrase.Length, pcm.Length - at)).CopyTo(pcm.AsSpan(at));
        return pcm;
    }

    private async Task<T> Keep<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var started = await starting;
        _started.Add(started);
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
            await _started[i].DisposeAsync();
        _started.Clear();
    }
}
