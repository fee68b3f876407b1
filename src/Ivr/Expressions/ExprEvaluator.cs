using System.Globalization;

namespace Telephony.Ivr.Expressions;

/// <summary>
/// Evaluates a parsed condition against the call's variables. Values are strings, numbers (double), booleans or
/// null; a variable never set is null. Comparisons of a number with a numeric string compare as numbers (digits
/// collected are strings). Functions: <c>contains(text, part)</c>, <c>startsWith(text, part)</c>,
/// <c>len(text)</c>, <c>timeBetween('08:30', '17:30')</c> (local time of day, wraps past midnight),
/// <c>in(value, 'a', 'b', …)</c>.
/// </summary>
public static class ExprEvaluator
{
    public static readonly IReadOnlySet<string> Functions = new HashSet<string> { "contains", "startsWith", "len", "timeBetween", "in" };

    /// <summary>The truth of <paramref name="expr"/>: null, false, 0 and "" are false.</summary>
    public static bool IsTrue(Expr expr, IReadOnlyDictionary<string, object?> variables, TimeOnly timeOfDay) =>
        Truthy(Evaluate(expr, variables, timeOfDay));

    public static object? Evaluate(Expr expr, IReadOnlyDictionary<string, object?> variables, TimeOnly timeOfDay) => expr switch
    {
        Expr.Literal l => l.Value,
        Expr.Variable v => variables.TryGetValue(v.Name, out var value) ? value : null,
        Expr.Not n => !Truthy(Evaluate(n.Operand, variables, timeOfDay)),
        Expr.Binary { Op: "&&" } b => Truthy(Evaluate(b.Left, variables, timeOfDay)) && Truthy(Evaluate(b.Right, variables, timeOfDay)),
        Expr.Binary { Op: "||" } b => Truthy(Evaluate(b.Left, variables, timeOfDay)) || Truthy(Evaluate(b.Right, variables, timeOfDay)),
        Expr.Binary b => Compare(b.Op, Evaluate(b.Left, variables, timeOfDay), Evaluate(b.Right, variables, timeOfDay)),
        Expr.Call c => Call(c.Function, c.Arguments.Select(a => Evaluate(a, variables, timeOfDay)).ToList(), timeOfDay),
        _ => null,
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        int i => i != 0,
        string s => s.Length > 0,
        _ => true,
    };

    private static double? AsNumber(object? value) => value switch
    {
        double d => d,
        int i => i,
        bool => null,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static string? AsText(object? value) => value switch
    {
        null => null,
        double d => d.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString(),
    };

    private static bool Compare(string op, object? left, object? right)
    {
        var (ln, rn) = (AsNumber(left), AsNumber(right));
        // Numbers compare as numbers when both sides are numeric; otherwise text compares ordinally.
        if (ln is not null && rn is not null && (left is not string || right is not string))
        {
            return op switch
            {
                "==" => ln == rn, "!=" => ln != rn, "<" => ln < rn, "<=" => ln <= rn, ">" => ln > rn, ">=" => ln >= rn, _ => false,
            };
        }
        if (left is bool || right is bool || left is null || right is null)
        {
            var equal = Equals(left, right);
            return op switch { "==" => equal, "!=" => !equal, _ => false };
        }
        var order = string.CompareOrdinal(AsText(left), AsText(right));
        return op switch
        {
            "==" => order == 0, "!=" => order != 0, "<" => order < 0, "<=" => order <= 0, ">" => order > 0, ">=" => order >= 0, _ => false,
        };
    }

    private static object? Call(string function, List<object?> args, TimeOnly now)
    {
        switch (function)
        {
            case "contains" when args.Count == 2:
                return AsText(args[0]) is { } t && AsText(args[1]) is { } p && t.Contains(p, StringComparison.Ordinal);
            case "startsWith" when args.Count == 2:
                return AsText(args[0]) is { } t2 && AsText(args[1]) is { } p2 && t2.StartsWith(p2, StringComparison.Ordinal);
            case "len" when args.Count == 1:
                return (double)(AsText(args[0])?.Length ?? 0);
            case "in" when args.Count >= 2:
                return args.Skip(1).Any(a => Compare("==", args[0], a));
            case "timeBetween" when args.Count == 2:
                if (!TryTime(args[0], out var from) || !TryTime(args[1], out var to)) return false;
                return from <= to ? now >= from && now < to : now >= from || now < to;
            default:
                return null;
        }
    }

    public static bool TryTime(object? value, out TimeOnly time) =>
        TimeOnly.TryParseExact(AsText(value), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>Argument counts the validator checks: (minimum, maximum).</summary>
    public static (int Min, int Max) Arity(string function) => function switch
    {
        "contains" or "startsWith" or "timeBetween" => (2, 2),
        "len" => (1, 1),
        "in" => (2, 20),
        _ => (0, 0),
    };
}
