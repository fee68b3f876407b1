using System.Diagnostics;
using System.Runtime.InteropServices;
using Telephony.Speech.Native;
using Telephony.Speech.Tests.Fixtures;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Native;

/// <summary>The C# mirrors of whisper.h's structs must match the C layout byte for byte.</summary>
public class NativeLayoutTests
{
    private static readonly (string Struct, Type Type, (string C, string Cs)[] Fields)[] Layouts =
    [
        ("whisper_full_params", typeof(WhisperFullParams),
        [
            ("strategy", "Strategy"), ("n_threads", "NThreads"), ("n_max_text_ctx", "NMaxTextCtx"), ("offset_ms", "OffsetMs"),
            ("duration_ms", "DurationMs"), ("translate", "Translate"), ("no_context", "NoContext"), ("no_timestamps", "NoTimestamps"),
            ("single_segment", "SingleSegment"), ("print_special", "PrintSpecial"), ("print_progress", "PrintProgress"),
            ("print_realtime", "PrintRealtime"), ("print_timestamps", "PrintTimestamps"), ("token_timestamps", "TokenTimestamps"),
            ("thold_pt", "TholdPt"), ("thold_ptsum", "TholdPtsum"), ("max_len", "MaxLen"), ("split_on_word", "SplitOnWord"),
            ("max_tokens", "MaxTokens"), ("debug_mode", "DebugMode"), ("audio_ctx", "AudioCtx"), ("tdrz_enable", "TdrzEnable"),
            ("suppress_regex", "SuppressRegex"), ("initial_prompt", "InitialPrompt"), ("carry_initial_prompt", "CarryInitialPrompt"),
            ("prompt_tokens", "PromptTokens"), ("prompt_n_tokens", "PromptNTokens"), ("language", "Language"),
            ("detect_language", "DetectLanguage"), ("suppress_blank", "SuppressBlank"), ("suppress_nst", "SuppressNst"),
            ("temperature", "Temperature"), ("max_initial_ts", "MaxInitialTs"), ("length_penalty", "LengthPenalty"),
            ("temperature_inc", "TemperatureInc"), ("entropy_thold", "EntropyThold"), ("logprob_thold", "LogprobThold"),
            ("no_speech_thold", "NoSpeechThold"), ("greedy.best_of", "GreedyBestOf"), ("beam_search.beam_size", "BeamSize"),
            ("beam_search.patience", "BeamPatience"), ("new_segment_callback", "NewSegmentCallback"),
            ("new_segment_callback_user_data", "NewSegmentCallbackUserData"), ("progress_callback", "ProgressCallback"),
            ("progress_callback_user_data", "ProgressCallbackUserData"), ("encoder_begin_callback", "EncoderBeginCallback"),
            ("encoder_begin_callback_user_data", "EncoderBeginCallbackUserData"), ("abort_callback", "AbortCallback"),
            ("abort_callback_user_data", "AbortCallbackUserData"), ("logits_filter_callback", "LogitsFilterCallback"),
            ("logits_filter_callback_user_data", "LogitsFilterCallbackUserData"), ("grammar_rules", "GrammarRules"),
            ("n_grammar_rules", "NGrammarRules"), ("i_start_rule", "IStartRule"), ("grammar_penalty", "GrammarPenalty"),
            ("vad", "Vad"), ("vad_model_path", "VadModelPath"), ("vad_params", "VadParams"),
        ]),
        ("whisper_vad_params", typeof(WhisperVadParams),
        [
            ("threshold", "Threshold"), ("min_speech_duration_ms", "MinSpeechDurationMs"), ("min_silence_duration_ms", "MinSilenceDurationMs"),
            ("max_speech_duration_s", "MaxSpeechDurationS"), ("speech_pad_ms", "SpeechPadMs"), ("samples_overlap", "SamplesOverlap"),
        ]),
        ("whisper_context_params", typeof(WhisperContextParams),
        [
            ("use_gpu", "UseGpu"), ("flash_attn", "FlashAttn"), ("gpu_device", "GpuDevice"), ("dtw_token_timestamps", "DtwTokenTimestamps"),
            ("dtw_aheads_preset", "DtwAheadsPreset"), ("dtw_n_top", "DtwNTop"), ("dtw_aheads.n_heads", "DtwAheadsNHeads"),
            ("dtw_aheads.heads", "DtwAheadsHeads"), ("dtw_mem_size", "DtwMemSize"),
        ]),
        ("whisper_vad_context_params", typeof(WhisperVadContextParams), [("n_threads", "NThreads"), ("use_gpu", "UseGpu"), ("gpu_device", "GpuDevice")]),
        ("whisper_timings", typeof(WhisperTimings),
            [("sample_ms", "SampleMs"), ("encode_ms", "EncodeMs"), ("decode_ms", "DecodeMs"), ("batchd_ms", "BatchdMs"), ("prompt_ms", "PromptMs")]),
    ];

    [Test]
    public void Struct_offsets_and_sizes_match_the_installed_whisper_h()
    {
        SpeechFixtures.RequireWhisper();
        var include = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(WhisperLibrary.Path!)!)!, "include");
        var dir = RepositoryPaths.NewScratchDirectory("layout");
        var source = new System.Text.StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"whisper.h\"\nint main(void) {\n");
        foreach (var (name, _, fields) in Layouts)
        {
            source.Append($"  printf(\"{name} sizeof %zu\\n\", sizeof(struct {name}));\n");
            foreach (var (c, _) in fields) source.Append($"  printf(\"{name} {c} %zu\\n\", offsetof(struct {name}, {c}));\n");
        }
        source.Append("  return 0;\n}\n");
        File.WriteAllText(Path.Combine(dir, "layout.c"), source.ToString());
        var compiler = ExternalTool.Require("gcc", "gcc");
        Run(compiler, dir, "-I", include, "-o", "layout", "layout.c");
        var native = Run(Path.Combine(dir, "layout"), dir).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0] + " " + p[1], p => int.Parse(p[2]));

        var mismatches = new List<string>();
        foreach (var (name, type, fields) in Layouts)
        {
            var size = Marshal.SizeOf(type);
            if (native[name + " sizeof"] != size) mismatches.Add($"sizeof {name}: C {native[name + " sizeof"]}, C# {size}");
            foreach (var (c, cs) in fields)
            {
                var offset = (int)Marshal.OffsetOf(type, cs);
                if (native[name + " " + c] != offset) mismatches.Add($"{name}.{c}: C {native[name + " " + c]}, C# {offset}");
            }
        }
        Directory.Delete(dir, recursive: true);
        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public unsafe void Defaults_returned_by_value_read_back_through_the_layout()
    {
        SpeechFixtures.RequireWhisper();
        var p = WhisperNative.FullDefaultParams(0);
        Assert.Multiple(() =>
        {
            // Values from whisper_full_default_params in 1.9.1 spread over the whole struct, last fields included.
            Assert.That(p.Strategy, Is.EqualTo(0));
            Assert.That(p.NMaxTextCtx, Is.EqualTo(16384));
            Assert.That(p.NoContext, Is.EqualTo(1));
            Assert.That(p.PrintProgress, Is.EqualTo(1));
            Assert.That(p.TholdPt, Is.EqualTo(0.01f));
            Assert.That(Marshal.PtrToStringUTF8(p.Language), Is.EqualTo("en"));
            Assert.That(p.SuppressBlank, Is.EqualTo(1));
            Assert.That(p.LengthPenalty, Is.EqualTo(-1f));
            Assert.That(p.EntropyThold, Is.EqualTo(2.4f));
            Assert.That(p.NoSpeechThold, Is.EqualTo(0.6f));
            Assert.That(p.GreedyBestOf, Is.EqualTo(5));
            Assert.That(p.BeamSize, Is.EqualTo(-1));
            Assert.That(p.GrammarPenalty, Is.EqualTo(100f));
            Assert.That(p.Vad, Is.EqualTo(0));
            Assert.That(p.VadParams.Threshold, Is.EqualTo(0.5f));
            Assert.That(p.VadParams.MinSpeechDurationMs, Is.EqualTo(250));
            Assert.That(p.VadParams.SpeechPadMs, Is.EqualTo(30));
            Assert.That(p.VadParams.SamplesOverlap, Is.EqualTo(0.1f));
        });
        var beam = WhisperNative.FullDefaultParams(1);
        Assert.That((beam.Strategy, beam.BeamSize, beam.BeamPatience), Is.EqualTo((1, 5, -1f)));
        var vad = WhisperNative.VadDefaultParams();
        Assert.That((vad.MinSilenceDurationMs, vad.MaxSpeechDurationS), Is.EqualTo((100, float.MaxValue)));
    }

    private static string Run(string program, string dir, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program}: {error}");
        return output.Result;
    }
}
