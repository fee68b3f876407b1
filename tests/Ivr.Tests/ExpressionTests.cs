using Telephony.Ivr.Expressions;

namespace Telephony.Ivr.Tests;

public class ExpressionTests
{
    private static bool Eval(string text, Dictionary<string, object?> vars, string time = "10:00")
    {
        var parsed = ExprParser.Parse(text);
        Assert.That(parsed.Ok, Is.True, parsed.Error);
        return ExprEvaluator.IsTrue(parsed.Expression!, vars, TimeOnly.Parse(time));
    }

    [Test]
    public void Precedence_and_binds_tighter_than_or()
    {
        var vars = new Dictionary<string, object?> { ["emergency"] = true, ["urgency"] = "normal", ["hour"] = 3.0 };
        Assert.That(Eval("emergency || urgency == 'urgent' && hour > 8", vars), Is.True);
        Assert.That(Eval("(emergency || urgency == 'urgent') && hour > 8", vars), Is.False);
        Assert.That(Eval("not emergency or hour < 4", vars), Is.True);
    }

    [Test]
    public void Collected_digits_compare_as_numbers_with_number_literals()
    {
        var vars = new Dictionary<string, object?> { ["digits"] = "007", ["openOrders"] = 2.0 };
        Assert.That(Eval("digits == 7", vars), Is.True);
        Assert.That(Eval("digits == '007'", vars), Is.True);
        Assert.That(Eval("openOrders > 0", vars), Is.True);
    }

    [Test]
    public void Unset_variable_is_null_and_false()
    {
        var vars = new Dictionary<string, object?>();
        Assert.That(Eval("queryCode == null", vars), Is.True);
        Assert.That(Eval("emergency", vars), Is.False);
    }

    [Test]
    public void Time_between_wraps_past_midnight()
    {
        var vars = new Dictionary<string, object?>();
        Assert.That(Eval("timeBetween('22:00', '06:00')", vars, "23:30"), Is.True);
        Assert.That(Eval("timeBetween('22:00', '06:00')", vars, "12:00"), Is.False);
        Assert.That(Eval("timeBetween('08:30', '17:30')", vars, "08:30"), Is.True);
    }

    [Test]
    public void Contains_and_in_work_on_text()
    {
        var vars = new Dictionary<string, object?> { ["transcript"] = "楼下着火了", ["emergencyService"] = "119" };
        Assert.That(Eval("contains(transcript, '着火')", vars), Is.True);
        Assert.That(Eval("in(emergencyService, '110', '119', '120')", vars), Is.True);
    }

    [Test]
    public void Hostile_nesting_is_refused_not_overflowed()
    {
        var parsed = ExprParser.Parse(new string('(', 200) + "true" + new string(')', 200));
        Assert.That(parsed.Ok, Is.False);
        Assert.That(parsed.Error, Does.Contain("nested too deeply"));
    }
}
