using System.Text;

namespace Telephony.Testing;

/// <summary>Writes a baresip configuration directory (<c>config</c>, <c>accounts</c>, the audio file) as PEERS.md found works headless.</summary>
internal static class BaresipConfig
{
    public static void Write(string directory, BaresipOptions o, int sipPort, int controlPort, string recordings)
    {
        var audio = Path.Combine(directory, "source.wav");
        WriteAudio(o, audio);

        var config = new StringBuilder()
            .AppendLine("poll_method epoll")
            .AppendLine($"sip_listen 127.0.0.1:{sipPort}")
            // Without it the SDP may carry another interface's address.
            .AppendLine("net_interface 127.0.0.1")
            .AppendLine($"call_max_calls {o.MaxCalls}")
            .AppendLine($"rtp_ports {o.RtpPorts}")
            .AppendLine($"audio_source aufile,{audio}")
            // aubridge,nil plays nowhere at no cost; alsa,null burns a core per call.
            .AppendLine("audio_player aubridge,nil")
            .AppendLine("audio_alert aubridge,nil")
            .AppendLine("module_path /usr/lib/baresip/modules")
            .AppendLine("module g711.so")
            .AppendLine("module g722.so")
            .AppendLine("module aufile.so")
            .AppendLine("module aubridge.so");
        if (o.Record)
        {
            // This build has no aufile player: sndfile writes dump-<time>-dec.wav (what the phone heard).
            config.AppendLine("module sndfile.so").AppendLine($"snd_path {recordings}");
        }
        config.AppendLine("module_tmp account.so")
            .AppendLine("module_app menu.so")
            .AppendLine("module_app ctrl_tcp.so")
            .AppendLine($"ctrl_tcp_listen 127.0.0.1:{controlPort}");
        File.WriteAllText(Path.Combine(directory, "config"), config.ToString());
        File.WriteAllText(Path.Combine(directory, "accounts"), AccountLine(o.Account, sipPort) + "\n");
    }

    private static string AccountLine(BaresipAccount a, int sipPort)
    {
        var host = a.Registrar ?? $"127.0.0.1:{sipPort}";
        var line = new StringBuilder($"<sip:{a.User}@{host};transport=udp>");
        if (a.Password is not null) line.Append($";auth_pass={a.Password}");
        line.Append($";answermode={(a.AnswerMode == BaresipAnswerMode.Auto ? "auto" : "manual")}");
        line.Append($";regint={(a.Registrar is null ? 0 : a.RegisterIntervalSeconds)}");
        line.Append($";audio_codecs={string.Join(',', a.AudioCodecs)}");
        return line.ToString();
    }

    private static void WriteAudio(BaresipOptions o, string path)
    {
        if (o.AudioSource is null)
        {
            WavFile.WriteSilence(path, o.AudioPadding, o.AudioSampleRate);
            return;
        }
        var sox = ExternalTool.Require("sox", "sox");
        var padding = o.AudioPadding.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = PeerProcess.Start(sox,
            [o.AudioSource, "-r", o.AudioSampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "1", "-b", "16", "-e", "signed-integer", path, "pad", "0", padding]);
        if (!process.TryWaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult() || process.ExitCode != 0)
            Assert.Fail($"sox could not convert {o.AudioSource} for baresip:\n{process.Output}");
    }
}
