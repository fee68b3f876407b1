using System.Globalization;
using System.Text;

namespace Telephony.Ivr.Expressions;

/// <summary>
/// Recursive-descent parser for conditions such as <c>emergency || (category == '路灯' &amp;&amp; hour &gt;= 18)</c>.
/// Grammar (lowest precedence first):
/// <code>
/// or      := and (('||' | 'or') and)*
/// and     := unary (('&amp;&amp;' | 'and') unary)*
/// unary   := ('!' | 'not') unary | compare
/// compare := primary (('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') primary)?
/// primary := number | 'string' | "string" | true | false | null | name | name '(' args ')' | '(' or ')'
/// </code>
/// Never throws: bad text gives a result with the reason and position.
/// </summary>
public sealed class ExprParser
{
    private readonly string _text;
    private int _pos;
    private string? _error;
    private int _errorPos;

    private ExprParser(string text) => _text = text;

    public const int MaxLength = 1000;

    public static ExprParseResult Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new(null, "empty expression", 0);
        if (text.Length > MaxLength) return new(null, $"longer than {MaxLength} characters", MaxLength);
        var parser = new ExprParser(text);
        var expr = parser.ParseOr(0);
        parser.SkipSpace();
        if (expr is not null && parser._pos < text.Length) parser.Fail($"unexpected '{text[parser._pos]}'");
        return parser._error is null ? new(expr, null, 0) : new(null, parser._error, parser._errorPos);
    }

    private Expr? Fail(string reason)
    {
        if (_error is null) { _error = $"{reason} at position {_pos + 1}"; _errorPos = _pos; }
        return null;
    }

    // Depth bounds recursion so a hostile "((((…" cannot overflow the stack.
    private Expr? ParseOr(int depth)
    {
        if (depth > 50) return Fail("nested too deeply");
        var left = ParseAnd(depth);
        while (left is not null && (Accept("||") || AcceptWord("or")))
        {
            var right = ParseAnd(depth);
            if (right is null) return null;
            left = new Expr.Binary("||", left, right);
        }
        return left;
    }

    private Expr? ParseAnd(int depth)
    {
        var left = ParseUnary(depth);
        while (left is not null && (Accept("&&") || AcceptWord("and")))
        {
            var right = ParseUnary(depth);
            if (right is null) return null;
            left = new Expr.Binary("&&", left, right);
        }
        return left;
    }

    private Expr? ParseUnary(int depth)
    {
        if (depth > 50) return Fail("nested too deeply");
        SkipSpace();
        if (Peek("!=")) return ParseCompare(depth);
        if (Accept("!") || AcceptWord("not"))
        {
            var operand = ParseUnary(depth + 1);
            return operand is null ? null : new Expr.Not(operand);
        }
        return ParseCompare(depth);
    }

    private static readonly string[] Comparisons = ["==", "!=", "<=", ">=", "<", ">"];

    private Expr? ParseCompare(int depth)
    {
        var left = ParsePrimary(depth);
        if (left is null) return null;
        SkipSpace();
        foreach (var op in Comparisons)
        {
            if (!Accept(op)) continue;
            var right = ParsePrimary(depth);
            return right is null ? null : new Expr.Binary(op, left, right);
        }
        return left;
    }

    private Expr? ParsePrimary(int depth)
    {
        SkipSpace();
        if (_pos >= _text.Length) return Fail("expression ends too early");
        var c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = ParseOr(depth + 1);
            if (inner is null) return null;
            return Accept(")") ? inner : Fail("missing ')'");
        }
        if (c is '\'' or '"') return ParseString(c);
        if (char.IsAsciiDigit(c) || (c == '-' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]))) return ParseNumber();
        if (char.IsAsciiLetter(c) || c == '_')
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.')) _pos++;
            var name = _text[start.._pos];
            switch (name)
            {
                case "true": return new Expr.Literal(true);
                case "false": return new Expr.Literal(false);
                case "null": return new Expr.Literal(null);
                case "and" or "or" or "not": _pos = start; return Fail($"'{name}' needs an operand before it");
            }
            SkipSpace();
            if (!Accept("(")) return new Expr.Variable(name);
            var args = new List<Expr>();
            SkipSpace();
            if (Accept(")")) return new Expr.Call(name, args);
            while (true)
            {
                var arg = ParseOr(depth + 1);
                if (arg is null) return null;
                args.Add(arg);
                if (Accept(")")) return new Expr.Call(name, args);
                if (!Accept(",")) return Fail("expected ',' or ')' in the arguments");
            }
        }
        return Fail($"unexpected '{c}'");
    }

    private Expr? ParseString(char quote)
    {
        var sb = new StringBuilder();
        _pos++;
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length) _pos++;
            sb.Append(_text[_pos++]);
        }
        if (_pos >= _text.Length) return Fail("unterminated string");
        _pos++;
        return new Expr.Literal(sb.ToString());
    }

    private Expr? ParseNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-') _pos++;
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '.')) _pos++;
        return double.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? new Expr.Literal(value)
            : Fail("bad number");
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private bool Peek(string token) => string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0;

    private bool Accept(string token)
    {
        SkipSpace();
        if (!Peek(token)) return false;
        _pos += token.Length;
        return true;
    }

    private bool AcceptWord(string word)
    {
        SkipSpace();
        if (!Peek(word)) return false;
        var end = _pos + word.Length;
        if (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_')) return false;
        _pos = end;
        return true;
    }
}
