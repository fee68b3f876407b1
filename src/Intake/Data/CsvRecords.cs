using System.Text;

namespace Telephony.Intake.Data;

/// <summary>One CSV record and the physical line it starts on (for error messages).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>A CSV file that cannot be read, with the line and the reason.</summary>
public sealed class CsvFormatException(string file, int line, string reason)
    : Exception($"{file}:{line}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>
/// RFC 4180 reader: comma separator, fields optionally in double quotes, <c>""</c> is a quote inside a
/// quoted field, a quoted field may span lines. A UTF-8 BOM is skipped.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<CsvRecord> Read(TextReader reader, string fileName)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;
        var afterQuote = false;
        var first = true;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (first) { first = false; if (c == '\uFEFF') continue; }
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else { inQuotes = false; afterQuote = true; }
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted:
                    inQuotes = true; fieldStarted = true;
                    break;
                case '"':
                    throw new CsvFormatException(fileName, line, "a quote inside an unquoted field (RFC 4180 wants the field quoted and the quote doubled)");
                case ',':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false; afterQuote = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false; afterQuote = false;
                    if (!(fields.Count == 1 && fields[0].Length == 0)) yield return new CsvRecord(recordLine, fields.ToArray());
                    fields.Clear();
                    line++; recordLine = line;
                    break;
                default:
                    if (afterQuote) throw new CsvFormatException(fileName, line, "text after the closing quote of a field");
                    fieldStarted = true;
                    field.Append((char)c);
                    break;
            }
        }
        if (inQuotes) throw new CsvFormatException(fileName, recordLine, "a quoted field is not closed before the end of the file");
        if (fieldStarted || fields.Count > 0 || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray());
        }
    }
}
