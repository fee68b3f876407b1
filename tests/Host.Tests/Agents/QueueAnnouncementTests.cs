using Microsoft.Extensions.Configuration;
using Telephony.Agents.Acd;
using Telephony.Host.Agents;

namespace Telephony.Host.Tests.Agents;

public class QueueAnnouncementTests
{
    [TestCase(1, "number_one")]
    [TestCase(2, "number_two")]
    [TestCase(3, "digit_3")]
    [TestCase(10, "number_ten")]
    [TestCase(11, "number_ten number_one")]
    [TestCase(12, "number_ten digit_2")]
    [TestCase(20, "digit_2 number_ten")]
    [TestCase(21, "digit_2 number_ten number_one")]
    [TestCase(99, "digit_9 number_ten digit_9")]
    public void Counts_are_spoken_as_chinese_numbers_with_yi_and_liang(int n, string prompts) =>
        Assert.That(string.Join(" ", QueueAnnouncement.Count(n)), Is.EqualTo(prompts));

    [Test]
    public void Counts_outside_1_to_99_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueAnnouncement.Count(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueAnnouncement.Count(100));
    }

    [Test]
    public void The_next_caller_hears_only_that_they_are_next() =>
        Assert.That(QueueAnnouncement.Prompts(new QueuePosition("citizen", 1, TimeSpan.FromMinutes(3))), Is.EqualTo(new[] { "queue_next" }));

    [Test]
    public void A_caller_further_back_hears_how_many_are_ahead_and_the_minutes_rounded_up() =>
        Assert.That(string.Join(" ", QueueAnnouncement.Prompts(new QueuePosition("citizen", 4, TimeSpan.FromSeconds(130)))),
            Is.EqualTo("queue_ahead digit_3 queue_ahead_callers queue_wait_about digit_3 queue_wait_minutes"));

    [Test]
    public void Under_a_minute_and_very_long_waits_and_crowds_have_their_own_words()
    {
        Assert.That(QueueAnnouncement.Prompts(new QueuePosition("citizen", 2, TimeSpan.FromSeconds(40))).Last(), Is.EqualTo("queue_wait_under_minute"));
        Assert.That(QueueAnnouncement.Prompts(new QueuePosition("citizen", 2, TimeSpan.FromHours(3))).Last(), Is.EqualTo("queue_wait_long"));
        Assert.That(QueueAnnouncement.Prompts(new QueuePosition("citizen", 150, TimeSpan.FromMinutes(20)))[0], Is.EqualTo("queue_many_ahead"));
    }

    [Test]
    public void Every_prompt_an_announcement_can_use_is_in_the_catalogue()
    {
        var catalogue = File.ReadAllLines(Path.Combine(Telephony.Testing.RepositoryPaths.Root, "prompts", "prompts.tsv")).Skip(1)
            .Select(l => l.Split('\t')[0]).ToHashSet();
        var used = Enumerable.Range(1, 99).SelectMany(QueueAnnouncement.Count)
            .Concat(new[] { 1, 2, 5, 150 }.SelectMany(p => new[] { 10, 90, 600, 7200 }.SelectMany(s => QueueAnnouncement.Prompts(new QueuePosition("q", p, TimeSpan.FromSeconds(s))))))
            .ToHashSet();
        Assert.That(used.Except(catalogue), Is.Empty);
    }

    [Test]
    public void The_options_come_from_configuration_and_a_bad_value_names_the_key()
    {
        static IConfiguration Config(params (string, string)[] pairs) =>
            new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2))).Build();
        Assert.That(QueueAnnouncementOptions.From(Config()), Is.EqualTo(QueueAnnouncementOptions.Default));
        var off = QueueAnnouncementOptions.From(Config(("Agents:Announce:EverySeconds", "0")));
        Assert.That(off.Enabled, Is.False);
        var error = Assert.Throws<InvalidOperationException>(() => QueueAnnouncementOptions.From(Config(("Agents:Announce:FirstAfterSeconds", "soon"))));
        Assert.That(error!.Message, Does.StartWith("Agents:Announce:FirstAfterSeconds"));
    }
}
