namespace Telephony.Ivr.Expressions;

/// <summary>
/// The condition language's syntax tree (docs/ivr.md "Expressions"). Parsed once by <see cref="ExprParser"/>,
/// evaluated by <see cref="ExprEvaluator"/>: no code is ever compiled or run from flow text.
/// </summary>
public abstract record Expr
{
    public sealed record Literal(object? Value) : Expr;
    public sealed record Variable(string Name) : Expr;
    public sealed record Not(Expr Operand) : Expr;
    public sealed record Binary(string Op, Expr Left, Expr Right) : Expr;
    public sealed record Call(string Function, IReadOnlyList<Expr> Arguments) : Expr;

    /// <summary>Every variable name the expression reads (the runner resolves costly ones, e.g. openOrders, only when used).</summary>
    public IEnumerable<string> Variables() => this switch
    {
        Variable v => [v.Name],
        Not n => n.Operand.Variables(),
        Binary b => b.Left.Variables().Concat(b.Right.Variables()),
        Call c => c.Arguments.SelectMany(a => a.Variables()),
        _ => [],
    };

    public IEnumerable<string> Functions() => this switch
    {
        Not n => n.Operand.Functions(),
        Binary b => b.Left.Functions().Concat(b.Right.Functions()),
        Call c => c.Arguments.SelectMany(a => a.Functions()).Prepend(c.Function),
        _ => [],
    };
}

/// <summary>A parse result: the tree, or the reason and the character position where parsing stopped.</summary>
public sealed record ExprParseResult(Expr? Expression, string? Error, int Position)
{
    public bool Ok => Expression is not null;
}
