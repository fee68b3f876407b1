using NUnit.Framework;
using Telephony.Testing;

namespace Telephony.EndToEnd.Peers;

/// <summary>The baresip driver against real baresip processes, without our engine.</summary>
public class BaresipHarnessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Baresip_calls_another_baresip_directly_and_both_see_the_call_established_and_closed()
    {
        await using var callee = await Baresip.StartAsync(new() { Account = new() { User = "callee", AnswerMode = BaresipAnswerMode.Auto } });
        await using var caller = await Baresip.StartAsync(new() { Account = new() { User = "caller" } });

        await caller.DialAsync(callee.DirectUri);

        var outgoing = await caller.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        var incoming = await callee.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        Assert.That(outgoing.Direction, Is.EqualTo("outgoing"));
        Assert.That(incoming.Direction, Is.EqualTo("incoming"));
        Assert.That(incoming.PeerUri, Does.StartWith("sip:caller@127.0.0.1"));

        await caller.HangupAsync();

        await caller.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
        await callee.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
    }

    [Test]
    public async Task Dtmf_sent_with_sndcode_reaches_the_other_phone_as_telephone_events()
    {
        await using var callee = await Baresip.StartAsync(new() { Account = new() { User = "callee" } });
        await using var caller = await Baresip.StartAsync(new() { Account = new() { User = "caller" } });
        await caller.DialAsync(callee.DirectUri);
        await callee.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        await caller.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        // The callee must have media before a telephone-event can arrive.
        await callee.WaitForEventAsync(BaresipEvents.CallRtpEstablished, Wait);

        await caller.SendDtmfAsync("1#");

        Assert.That((await callee.WaitForEventAsync(BaresipEvents.CallDtmfStart, Wait)).Param, Is.EqualTo("1"));
        Assert.That((await callee.WaitForEventAsync(BaresipEvents.CallDtmfStart, Wait)).Param, Is.EqualTo("#"));
        await caller.HangupAsync();
        await callee.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
    }

    [Test]
    public async Task The_callee_records_the_audio_the_caller_plays()
    {
        var scratch = RepositoryPaths.NewScratchDirectory("tone");
        try
        {
            var tone = Path.Combine(scratch, "tone.wav");
            await RunSoxAsync("-n", "-r", "16000", "-c", "1", "-b", "16", tone, "synth", "3", "sine", "440", "gain", "-6");
            await using var callee = await Baresip.StartAsync(new() { Account = new() { User = "callee" }, RecordingDirectory = scratch });
            await using var caller = await Baresip.StartAsync(new() { Account = new() { User = "caller" }, AudioSource = tone, AudioPadding = TimeSpan.FromSeconds(5) });

            await caller.DialAsync(callee.DirectUri);
            await callee.WaitForEventAsync(BaresipEvents.CallRtpEstablished, Wait);
            await Task.Delay(1500);
            await caller.HangupAsync();
            await callee.WaitForEventAsync(BaresipEvents.CallClosed, Wait);

            Assert.That(callee.Recordings, Has.Count.EqualTo(1), callee.Describe());
            Assert.That(PeakSample(callee.Recordings[0]), Is.GreaterThan(3000), "the recording should hold the tone, not silence");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task RunSoxAsync(params string[] args)
    {
        using var sox = PeerProcess.Start(ExternalTool.Require("sox", "sox"), args);
        Assert.That(await sox.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, sox.Output);
    }

    /// <summary>The largest absolute sample of a 16-bit PCM WAV (44-byte header, as sndfile writes it).</summary>
    private static int PeakSample(string wav)
    {
        var bytes = File.ReadAllBytes(wav);
        var peak = 0;
        for (var i = 44; i + 1 < bytes.Length; i += 2) peak = Math.Max(peak, Math.Abs((int)BitConverter.ToInt16(bytes, i)));
        return peak;
    }

    [Test]
    public async Task Manual_answer_rings_until_accepted()
    {
        await using var callee = await Baresip.StartAsync(new() { Account = new() { User = "agent", AnswerMode = BaresipAnswerMode.Manual } });
        await using var caller = await Baresip.StartAsync(new() { Account = new() { User = "caller" } });

        await caller.DialAsync(callee.DirectUri);
        await callee.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
        await caller.WaitForEventAsync(BaresipEvents.CallRinging, Wait);
        await callee.AcceptAsync();

        await caller.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        await callee.HangupAsync();
        await caller.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
    }

    [Test]
    public async Task Baresip_registers_with_digest_at_kamailio()
    {
        using var registrar = await Kamailio.StartAsync(PeerConfigs.KamailioRegistrar, defines: PeerConfigs.RegistrarDefines);
        await using var phone = await Baresip.StartAsync(new()
        {
            Account = new() { User = "agent1", Password = PeerConfigs.RegistrarPassword, Registrar = registrar.Endpoint, RegisterIntervalSeconds = 60 },
        });

        await phone.WaitForRegisteredAsync(Wait);

        Assert.That(await phone.RegistrationInfoAsync(), Does.Contain("agent1@127.0.0.1"));
    }
}
