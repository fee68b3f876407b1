using Telephony.Speech.Native;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Fixtures;

/// <summary>The models and the native library every whisper test needs; a missing one fails with what to do.</summary>
public static class SpeechFixtures
{
    public static string TinyModel => RepositoryPaths.RequireShared("models/test/for-tests-ggml-tiny.bin");
    public static string BaseModel => RepositoryPaths.RequireShared("models/test/for-tests-ggml-base.bin");
    public static string VadModel => RepositoryPaths.RequireShared("models/ggml-silero-v6.2.0.bin");

    /// <summary>Fails the test unless libwhisper.so from the setup is present.</summary>
    public static void RequireWhisper()
    {
        if (WhisperLibrary.Path is null) Assert.Fail($"libwhisper.so is missing: {WhisperLibrary.SetupHint}.");
        WhisperLibrary.EnsureLoaded();
    }

    /// <summary>Decoding for the test models: their weights are uninitialised, so a run would otherwise decode
    /// nonsense to the token limit at every fallback temperature. The encoder still runs at full size.</summary>
    public static global::Telephony.Speech.Recognition.TranscriptionOptions TestDecoding { get; } = new()
    {
        Threads = 2,
        MaxTokensPerSegment = 16,
        TemperatureIncrement = 0,
    };
}
