using System.Security.Cryptography;
using System.Text;

namespace Telephony.Intake.Data;

/// <summary>
/// Loads a CSV with the columns of hotline-messages/train.csv (at least <c>text</c> and <c>category</c>;
/// <c>id</c> and <c>title</c> when present). Other columns are ignored, so any export of the same source works.
/// </summary>
public static class MessageFile
{
    public static IReadOnlyList<LabeledMessage> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such data file: {path}", path);
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        return Parse(reader, path);
    }

    public static IReadOnlyList<LabeledMessage> Parse(TextReader reader, string fileName)
    {
        using var records = CsvRecords.Read(reader, fileName).GetEnumerator();
        if (!records.MoveNext()) throw new CsvFormatException(fileName, 1, "empty file: a header line (id,title,text,category,…) is expected");
        var header = records.Current.Fields.Select(f => f.Trim()).ToList();
        int Column(string name, bool required)
        {
            var i = header.IndexOf(name);
            if (i < 0 && required) throw new CsvFormatException(fileName, 1, $"the header has no '{name}' column (found: {string.Join(",", header)})");
            return i;
        }
        int text = Column("text", true), category = Column("category", true), title = Column("title", false), id = Column("id", false);
        var messages = new List<LabeledMessage>();
        while (records.MoveNext())
        {
            var r = records.Current;
            if (r.Fields.Count != header.Count)
                throw new CsvFormatException(fileName, r.Line, $"{r.Fields.Count} fields where the header has {header.Count}");
            var label = r.Fields[category].Trim();
            if (label.Length == 0) throw new CsvFormatException(fileName, r.Line, "empty category");
            messages.Add(new LabeledMessage(
                id >= 0 ? r.Fields[id] : $"line{r.Line}",
                title >= 0 ? r.Fields[title] : "",
                r.Fields[text],
                label));
        }
        if (messages.Count == 0) throw new CsvFormatException(fileName, 2, "no records after the header");
        return messages;
    }

    /// <summary>SHA-256 over the files' bytes in the given order: the model's sidecar records it so setup retrains when the data changed.</summary>
    public static string Checksum(IEnumerable<string> paths)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in paths)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(p) + "\n"));
            sha.AppendData(File.ReadAllBytes(p));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
