using Telephony.Tickets.Codes;

namespace Telephony.Tickets.Tests.Domain;

public class QueryCodeTests
{
    [TestCase("236", '3')]      // the worked example of Verhoeff's scheme
    [TestCase("12345", '1')]
    [TestCase("142857", '0')]
    public void Verhoeff_check_digit_matches_known_vectors(string digits, char check)
    {
        Assert.That(Verhoeff.Compute(digits), Is.EqualTo(check));
        Assert.That(Verhoeff.IsValid(digits + check), Is.True);
    }

    [Test]
    public void New_code_is_ten_digits_without_leading_zero_and_passes_its_check()
    {
        for (var i = 0; i < 1000; i++)
        {
            var code = QueryCode.New();
            Assert.That(code, Has.Length.EqualTo(QueryCode.Length));
            Assert.That(code.All(char.IsAsciiDigit) && code[0] != '0', code);
            Assert.That(QueryCode.TryParse(code, out var parsed, out _) && parsed == code, code);
        }
    }

    [Test]
    public void New_codes_use_every_digit_in_every_position()
    {
        var seen = new HashSet<char>[QueryCode.Length - 1];
        for (var i = 0; i < seen.Length; i++) seen[i] = [];
        for (var n = 0; n < 2000; n++)
        {
            var code = QueryCode.New();
            for (var i = 0; i < seen.Length; i++) seen[i].Add(code[i]);
        }
        Assert.That(seen[0], Is.EquivalentTo("123456789"));
        for (var i = 1; i < seen.Length; i++) Assert.That(seen[i], Is.EquivalentTo("0123456789"), $"position {i}");
    }

    [Test]
    public void Every_single_digit_typo_is_caught()
    {
        for (var n = 0; n < 200; n++)
        {
            var code = QueryCode.New().ToCharArray();
            for (var i = 0; i < code.Length; i++)
            for (var d = '0'; d <= '9'; d++)
            {
                if (d == code[i]) continue;
                var typo = (char[])code.Clone();
                typo[i] = d;
                Assert.That(Verhoeff.IsValid(typo), Is.False, new string(typo));
            }
        }
    }

    [Test]
    public void Every_adjacent_transposition_is_caught()
    {
        var tried = 0;
        for (var n = 0; n < 2000; n++)
        {
            var code = QueryCode.New().ToCharArray();
            for (var i = 0; i + 1 < code.Length; i++)
            {
                if (code[i] == code[i + 1]) continue;
                var swapped = (char[])code.Clone();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                Assert.That(Verhoeff.IsValid(swapped), Is.False, $"{new string(code)} -> {new string(swapped)}");
                tried++;
            }
        }
        Assert.That(tried, Is.GreaterThan(10000));
    }

    [Test]
    public void Codes_are_not_sequential()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => QueryCode.New()).ToList();
        Assert.That(codes.Distinct().Count(), Is.EqualTo(codes.Count));
        var steps = codes.Zip(codes.Skip(1), (a, b) => long.Parse(b[..9]) - long.Parse(a[..9]));
        Assert.That(steps.Count(s => Math.Abs(s) <= 1), Is.LessThan(3), "consecutive codes must not be neighbours");
    }

    [TestCase("{0} {1}")]
    [TestCase("{0}-{1}")]
    [TestCase(" {0}{1} ")]
    [TestCase("fullwidth")]
    public void Typed_codes_are_normalized_before_the_check(string format)
    {
        var code = "123456789" + Verhoeff.Compute("123456789");
        var typed = format == "fullwidth"
            ? new string(code.Select(c => (char)('０' + (c - '0'))).ToArray())
            : string.Format(format, code[..5], code[5..]);
        Assert.That(QueryCode.TryParse(typed, out var parsed, out var reason), Is.True, reason);
        Assert.That(parsed, Is.EqualTo(code));
    }

    [TestCase(null, "empty")]
    [TestCase("", "empty")]
    [TestCase("12345", "10 digits")]
    [TestCase("12345678901", "10 digits")]
    [TestCase("12345abcde", "digits only")]
    public void Bad_codes_are_refused_with_a_reason(string? input, string expected)
    {
        Assert.That(QueryCode.TryParse(input, out _, out var reason), Is.False);
        Assert.That(reason, Does.Contain(expected));
    }

    [Test]
    public void A_mistyped_digit_is_refused_as_a_check_digit_error()
    {
        var code = QueryCode.New().ToCharArray();
        code[4] = code[4] == '9' ? '0' : (char)(code[4] + 1);
        Assert.That(QueryCode.TryParse(new string(code), out _, out var reason), Is.False);
        Assert.That(reason, Does.Contain("check digit"));
    }
}
