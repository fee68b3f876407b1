using System.Diagnostics;
using System.Text;
using Telephony.Sip.Message;

namespace Telephony.Sip.Tests.Robustness;

/// <summary>
/// <see cref="SipParser.Parse(ReadOnlySpan{byte})"/> and <see cref="SipFraming.Frame"/> on 100,000 reproducible
/// mutants: nothing throws (not even an exception the parser's last-resort catch would turn into a refusal),
/// every refusal has a reason, and whatever parses serializes to bytes that parse again.
/// </summary>
public class ParserMutationTests
{
    public const int Count = 100_000;

    [Test]
    public void One_hundred_thousand_mutants_never_throw_and_every_refusal_has_a_reason()
    {
        var mutator = new SipMutator(seed: 20260312);
        var failures = new List<string>();
        var outcomes = new Dictionary<SipParseError, int>();
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        for (var i = 0; i < Count && failures.Count < 10; i++)
        {
            var mutant = mutator.Next();
            bytes += mutant.Length;
            var problem = Check(mutant, out var error);
            outcomes[error] = outcomes.GetValueOrDefault(error) + 1;
            if (problem is null) continue;
            var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"mutant-{i}.sip");
            File.WriteAllBytes(file, mutant);
            failures.Add($"#{i}: {problem} (bytes in {file})");
        }
        watch.Stop();
        TestContext.Out.WriteLine($"{Count} mutants, {bytes / 1024 / 1024} MB, parsed in {watch.Elapsed.TotalSeconds:F1} s ({Count / watch.Elapsed.TotalSeconds:F0} messages/s)");
        foreach (var (error, n) in outcomes.OrderByDescending(o => o.Value)) TestContext.Out.WriteLine($"  {error,-20} {n}");
        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures));
        Assert.That(outcomes.GetValueOrDefault(SipParseError.None), Is.GreaterThan(Count / 20), "the mutants should not all be hopeless");
    }

    /// <summary>Null when the parser and the framer behaved, else what went wrong.</summary>
    internal static string? Check(byte[] mutant, out SipParseError error)
    {
        error = SipParseError.None;
        SipParseResult result;
        try
        {
            result = SipParser.Parse(mutant);
        }
        catch (Exception e)
        {
            return $"Parse threw {e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}";
        }
        error = result.Error;
        if (!result.Success)
        {
            if (string.IsNullOrEmpty(result.Detail)) return $"refused ({result.Error}) without a reason";
            if (result.Detail.StartsWith("unparseable:", StringComparison.Ordinal)) return $"the parser's safety net caught an exception: {result.Detail}";
        }
        else
        {
            try
            {
                var again = SipParser.Parse(SipSerializer.ToBytes(result.Message!));
                if (!again.Success) return $"parsed, but its serialization does not: {again}{Environment.NewLine}{Encoding.UTF8.GetString(SipSerializer.ToBytes(result.Message!))}";
            }
            catch (Exception e)
            {
                return $"serializing or re-parsing threw {e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}";
            }
        }
        try
        {
            var status = SipFraming.Frame(mutant, 65535, out var skip, out var length);
            if (skip < 0 || length < 0 || skip + length > mutant.Length) return $"Frame returned {status} with skip {skip}, length {length} for {mutant.Length} bytes";
            if (status == FrameStatus.Complete && length == 0) return "Frame returned an empty complete message";
        }
        catch (Exception e)
        {
            return $"Frame threw {e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}";
        }
        return null;
    }
}
