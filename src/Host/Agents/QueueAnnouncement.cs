using Microsoft.Extensions.Configuration;
using Telephony.Agents.Acd;

namespace Telephony.Host.Agents;

/// <summary>
/// When a waiting caller hears their place in the queue and the estimated wait (docs/agents.md, "Queue transfer"):
/// <c>Agents:Announce:FirstAfterSeconds</c> (default 5: after the first ringback cycle) and
/// <c>Agents:Announce:EverySeconds</c> (default 30; 0 = never).
/// </summary>
public sealed record QueueAnnouncementOptions(TimeSpan FirstAfter, TimeSpan Every)
{
    public static QueueAnnouncementOptions Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

    public bool Enabled => Every > TimeSpan.Zero;

    public static QueueAnnouncementOptions From(IConfiguration configuration)
    {
        var first = Seconds(configuration, "Agents:Announce:FirstAfterSeconds", Default.FirstAfter);
        var every = Seconds(configuration, "Agents:Announce:EverySeconds", Default.Every);
        return new QueueAnnouncementOptions(first, every);
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrEmpty(text)) return fallback;
        if (!int.TryParse(text, out var seconds) || seconds < 0 || seconds > 3600)
            throw new InvalidOperationException($"{key}: '{text}' is not a whole number of seconds from 0 to 3600");
        return TimeSpan.FromSeconds(seconds);
    }
}

/// <summary>
/// What a waiting caller hears, as prompt names (prompts/prompts.tsv): "您是下一位，请稍候", or "您前面还有 N 位来电正在等待，
/// 预计等待约 M 分钟，请您耐心等候" with N and M spoken as Chinese numbers (counting 一/两, not the keypad's 幺/二).
/// </summary>
public static class QueueAnnouncement
{
    /// <summary>Larger counts are not read out: the caller hears that there are many, or that the wait is long.</summary>
    public const int MaxSpoken = 99;

    public static IReadOnlyList<string> Prompts(QueuePosition position)
    {
        var ahead = position.Position - 1;
        if (ahead <= 0) return ["queue_next"];
        var items = new List<string>();
        if (ahead > MaxSpoken) items.Add("queue_many_ahead");
        else
        {
            items.Add("queue_ahead");
            items.AddRange(Count(ahead));
            items.Add("queue_ahead_callers");
        }
        var minutes = (int)Math.Ceiling(position.EstimatedWait.TotalMinutes);
        if (position.EstimatedWait < TimeSpan.FromMinutes(1)) items.Add("queue_wait_under_minute");
        else if (minutes > MaxSpoken) items.Add("queue_wait_long");
        else
        {
            items.Add("queue_wait_about");
            items.AddRange(Count(minutes));
            items.Add("queue_wait_minutes");
        }
        return items;
    }

    /// <summary>
    /// A count from 1 to 99 before a measure word (位, 分钟): 一, 两, 三 … 十, 十一 … 二十, 二十一 …; 2 alone is 两, inside a
    /// larger number 二; 1 is 一 everywhere (the digit prompt 幺 is for reading codes).
    /// </summary>
    public static IReadOnlyList<string> Count(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, MaxSpoken);
        if (n < 10) return [n switch { 1 => "number_one", 2 => "number_two", _ => $"digit_{n}" }];
        var items = new List<string>();
        int tens = n / 10, ones = n % 10;
        if (tens > 1) items.Add($"digit_{tens}");
        items.Add("number_ten");
        if (ones > 0) items.Add(ones == 1 ? "number_one" : $"digit_{ones}");
        return items;
    }
}
