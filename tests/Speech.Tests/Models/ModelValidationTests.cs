using System.Diagnostics;
using Telephony.Speech.Models;
using Telephony.Speech.Recognition;
using Telephony.Speech.Tests.Fixtures;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Models;

public class ModelValidationTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = RepositoryPaths.NewScratchDirectory("models");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase("for-tests-ggml-tiny.bin", "tiny")]
    [TestCase("for-tests-ggml-base.bin", "base")]
    public void Whisper_test_models_pass_as_models_without_weights(string file, string size)
    {
        var check = WhisperModelFile.Inspect(RepositoryPaths.RequireShared("models/test/" + file));
        Assert.That(check.IsValid, check.Message);
        Assert.That(check.HyperParameters!.Size, Is.EqualTo(size));
        Assert.That(check.HyperParameters.IsMultilingual);
        Assert.That(check.HasWeights, Is.False);
    }

    [Test]
    public void Silero_vad_model_is_not_taken_for_a_whisper_model()
    {
        var check = WhisperModelFile.Inspect(SpeechFixtures.VadModel);
        Assert.That(check.Rejection, Is.EqualTo(ModelRejection.BadHyperParameters), check.Message);
        Assert.That(check.Message, Does.Contain("n_vocab 10"));
    }

    [Test]
    public void A_text_file_is_refused_for_its_magic()
    {
        var path = Path.Combine(_dir, "model.bin");
        File.WriteAllText(path, new string('x', 4096));
        Assert.That(WhisperModelFile.Inspect(path).Rejection, Is.EqualTo(ModelRejection.BadMagic));
    }

    [Test]
    public void A_tiny_file_is_refused_as_too_small() =>
        Assert.That(Inspect([0x6c, 0x6d, 0x67, 0x67]).Rejection, Is.EqualTo(ModelRejection.TooSmall));

    [Test]
    public void A_model_cut_inside_its_vocabulary_is_refused_as_truncated()
    {
        var bytes = File.ReadAllBytes(SpeechFixtures.TinyModel);
        var check = Inspect(bytes[..(bytes.Length / 2)]);
        Assert.That(check.Rejection, Is.EqualTo(ModelRejection.Truncated), check.Message);
    }

    [Test]
    public void A_model_with_a_tensor_cut_short_is_refused_as_truncated()
    {
        // The test model plus the header of one F16 tensor of 384 x 80 values and only half its data.
        var bytes = File.ReadAllBytes(SpeechFixtures.TinyModel).ToList();
        var name = "encoder.conv1.weight"u8.ToArray();
        foreach (var v in new[] { 2, name.Length, 1, 384, 80 }) bytes.AddRange(BitConverter.GetBytes(v));
        bytes.AddRange(name);
        bytes.AddRange(new byte[384 * 80]);
        var check = Inspect(bytes.ToArray());
        Assert.That(check.Rejection, Is.EqualTo(ModelRejection.Truncated), check.Message);
    }

    [Test]
    public void A_header_with_absurd_sizes_is_refused_before_anything_is_allocated()
    {
        var bytes = File.ReadAllBytes(SpeechFixtures.TinyModel);
        BitConverter.GetBytes(1 << 30).CopyTo(bytes, 4 + 4 * 9); // n_mels: whisper.cpp would size the filters from it
        Assert.That(Inspect(bytes).Rejection, Is.EqualTo(ModelRejection.BadHyperParameters));
    }

    [Test]
    public void Loading_a_non_whisper_file_throws_a_clear_error_and_the_process_lives_on()
    {
        SpeechFixtures.RequireWhisper();
        var pid = Environment.ProcessId;
        var error = Assert.Throws<InvalidModelException>(() => WhisperModel.Load(SpeechFixtures.VadModel))!;
        Assert.That(error.Message, Does.Contain("not a usable Whisper model").And.Contain("ggml-silero"));
        var junk = Path.Combine(_dir, "junk.bin");
        File.WriteAllBytes(junk, [.. "lmgg"u8, .. new byte[100_000]]);
        Assert.Throws<InvalidModelException>(() => WhisperModel.Load(junk));
        Assert.Throws<InvalidModelException>(() => WhisperModel.Load(Path.Combine(_dir, "missing.bin")));
        // Still this process, and whisper.cpp still works in it.
        Assert.That(Process.GetCurrentProcess().Id, Is.EqualTo(pid));
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        Assert.That(model.Check.HyperParameters!.Size, Is.EqualTo("tiny"));
    }

    private ModelCheck Inspect(byte[] bytes)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".bin");
        File.WriteAllBytes(path, bytes);
        return WhisperModelFile.Inspect(path);
    }
}
