namespace Telephony.Tickets.Domain;

/// <summary>
/// The three-level category tree (一级/二级/三级分类), read from <c>taxonomy.csv</c> (header
/// <c>level1,level2,level3</c>; the shared data set's file). A category is valid when its levels follow a path of the tree.
/// </summary>
public sealed class Taxonomy
{
    private readonly HashSet<(string, string?, string?)> _paths = [];

    public Taxonomy(IEnumerable<(string Level1, string Level2, string Level3)> rows)
    {
        foreach (var (l1, l2, l3) in rows)
        {
            _paths.Add((l1, null, null));
            if (l2.Length > 0) _paths.Add((l1, l2, null));
            if (l2.Length > 0 && l3.Length > 0) _paths.Add((l1, l2, l3));
        }
    }

    public int Count => _paths.Count;

    public static Taxonomy Load(string path)
    {
        var rows = new List<(string, string, string)>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            // The file has no quoted fields (category names contain no commas).
            var parts = line.Split(',');
            if (parts.Length >= 3) rows.Add((parts[0].Trim(), parts[1].Trim(), parts[2].Trim()));
        }
        return new Taxonomy(rows);
    }

    public bool Contains(Category category)
    {
        var (l2, l3) = (Blank(category.Level2), Blank(category.Level3));
        return !(l2 is null && l3 is not null) && _paths.Contains((category.Level1, l2, l3));
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
