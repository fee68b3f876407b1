using Telephony.Sip.Message;

namespace Telephony.Sip.Tests.Message;

/// <summary>
/// RFC 4475 (torture messages) and RFC 5118 (IPv6) vectors, one file per case under Vectors/, with the
/// expected outcome in Vectors/expectations.tsv: <c>parse</c> (parses, and re-serializes to an equivalent
/// message), <c>reject</c> (refused with a reason a UAS turns into 400/505), <c>drop</c> (refused, framing lost).
/// </summary>
public class TortureVectorTests
{
    public sealed record Vector(string File, string Expect, string Reason)
    {
        public byte[] Bytes => System.IO.File.ReadAllBytes(Path.Combine(VectorsDirectory, File));
        public override string ToString() => File;
    }

    public static string VectorsDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Vectors");

    public static IEnumerable<Vector> All()
    {
        var index = Path.Combine(AppContext.BaseDirectory, "Vectors", "expectations.tsv");
        foreach (var line in File.ReadAllLines(index))
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("file\t")) continue;
            var cols = line.Split('\t');
            yield return new Vector(cols[0], cols[1], cols.Length > 2 ? cols[2] : "");
        }
    }

    public static IEnumerable<Vector> Valid() => All().Where(v => v.Expect == "parse");
    public static IEnumerable<Vector> Invalid() => All().Where(v => v.Expect != "parse");

    [Test]
    public void Every_vector_file_is_listed_and_every_listed_file_exists()
    {
        var listed = All().Select(v => v.File.Replace('\\', '/')).ToHashSet();
        var onDisk = Directory.GetFiles(VectorsDirectory, "*.sip", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(VectorsDirectory, f).Replace('\\', '/')).ToHashSet();
        Assert.That(onDisk, Is.EquivalentTo(listed));
        Assert.That(listed.Count(f => f.StartsWith("rfc4475/")), Is.GreaterThanOrEqualTo(40));
        Assert.That(listed.Count(f => f.StartsWith("rfc5118/")), Is.GreaterThanOrEqualTo(8));
    }

    [TestCaseSource(nameof(Valid))]
    public void Valid_torture_message_parses_and_reserializes_to_an_equivalent_message(Vector vector)
    {
        var first = SipParser.Parse(vector.Bytes);
        Assert.That(first.Success, Is.True, $"{vector.File}: {first}");
        var again = SipParser.Parse(SipSerializer.ToBytes(first.Message!));
        Assert.That(again.Success, Is.True, $"{vector.File} re-serialized: {again}");
        Assert.Multiple(() =>
        {
            Assert.That(again.Message!.StartLine, Is.EqualTo(first.Message!.StartLine));
            Assert.That(Fields(again.Message), Is.EqualTo(Fields(first.Message)));
            Assert.That(again.Message.Body.ToArray(), Is.EqualTo(first.Message.Body.ToArray()));
        });
    }

    [TestCaseSource(nameof(Invalid))]
    public void Invalid_torture_message_is_refused_with_a_reason(Vector vector)
    {
        var result = SipParser.Parse(vector.Bytes);
        Assert.That(result.Success, Is.False, $"{vector.File} should be refused ({vector.Reason})");
        Assert.That(result.Detail, Is.Not.Null.And.Not.Empty);
        if (vector.Expect == "reject" && result.IsRequest)
            Assert.That(result.CanAnswer, Is.True, $"{vector.File}: a UAS must be able to answer it ({result})");
    }

    private static IEnumerable<(string, string)> Fields(SipMessage m) =>
        m.Headers.Where(h => h.Name != HeaderNames.ContentLength).Select(h => (h.Name, h.Value));
}
