using System.CommandLine;
using Telephony.Host.Configuration;
using Telephony.Speech.Audio;
using Telephony.Speech.Models;
using Telephony.Speech.Native;
using Telephony.Speech.Recognition;

namespace Telephony.Host.Commands;

/// <summary><c>transcribe FILE.wav</c>: one file through the same binding and settings the hotline uses.</summary>
public static class TranscribeCommand
{
    private static readonly Argument<string> File = new("file") { Description = "16 kHz mono 16-bit PCM WAV file" };

    private static readonly Option<string?> Model = new("--model")
    {
        Description = "Whisper model file or name (default: Speech:Model, found in $TELEPHONY_MODELS, ../shared/models, models/)",
    };

    private static readonly Option<int> Threads = new("--threads") { Description = "whisper.cpp threads (default: all cores)" };

    public static Command Create()
    {
        var command = new Command("transcribe", "Transcribe a 16 kHz mono WAV file with whisper.cpp (Mandarin) and print the text and timings");
        command.Arguments.Add(File);
        command.Options.Add(Model);
        command.Options.Add(Threads);
        command.SetAction((parse, _) => Task.FromResult(Run(parse.GetValue(CommonOptions.Config), parse.GetValue(File)!, parse.GetValue(Model), parse.GetValue(Threads))));
        return command;
    }

    public static int Run(string? configFile, string file, string? model, int threads)
    {
        var configuration = HostConfiguration.Build(configFile);
        var name = model ?? configuration["Speech:Model"] ?? "ggml-base.bin";
        var path = ModelLocator.Find(name, RepositoryLayout.Root);
        if (path is null)
        {
            Console.Error.WriteLine($"transcribe: model '{name}' not found in {string.Join(", ", ModelLocator.SearchDirectories(RepositoryLayout.Root))}; {ModelLocator.HowToGetAModel}.");
            return 2;
        }
        short[] samples;
        try { samples = Pcm16Wav.Read(RepositoryLayout.Resolve(file)); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"transcribe: {e.Message}");
            return 2;
        }
        try
        {
            using var whisper = WhisperModel.Load(path);
            if (!whisper.Check.HasWeights)
                Console.Error.WriteLine($"transcribe: {path} is a test model without trained weights: the text will be meaningless.");
            using var recognizer = whisper.CreateRecognizer();
            var transcript = recognizer.Transcribe(Pcm16Wav.ToFloat(samples), TranscriptionOptions.Default with { Threads = threads });
            Console.WriteLine(transcript.Text);
            Console.Error.WriteLine($"transcribe: {transcript.AudioDuration.TotalSeconds:0.00} s of audio in {transcript.ProcessingTime.TotalSeconds:0.00} s " +
                                    $"(x{transcript.RealTimeFactor:0.00} real time), language {transcript.Language}, confidence {transcript.Confidence:0.00}" +
                                    (transcript.SkippedAsSilence ? ", silence: not sent to the model" : "") +
                                    (transcript.RepetitionCut ? ", a repetition loop was cut" : "") + $", model {whisper.Check.Message}");
            return 0;
        }
        catch (Exception e) when (e is InvalidModelException or WhisperUnavailableException or WhisperException)
        {
            Console.Error.WriteLine($"transcribe: {e.Message}");
            return 2;
        }
    }
}
