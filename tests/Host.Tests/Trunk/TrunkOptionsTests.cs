using Microsoft.Extensions.Configuration;
using Telephony.Host.Configuration;
using Telephony.Host.Trunk;

namespace Telephony.Host.Tests.Trunk;

public class TrunkOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    private static string Error(params (string Key, string Value)[] pairs) =>
        Assert.Throws<InvalidOperationException>(() => TrunkOptions.Read(Config(pairs)))!.Message;

    [Test]
    public void No_trunk_section_means_no_trunk()
    {
        Assert.That(TrunkOptions.Read(Config()), Is.Null);
        Assert.That(TrunkOptions.Read(Config(("Trunk:Uri", ""), ("Trunk:Numbers:119", ""))), Is.Null, "emptied keys (environment overrides) are off");
    }

    [Test]
    public void Repository_appsettings_configures_no_trunk()
    {
        Assert.That(TrunkOptions.Read(HostConfiguration.Build()), Is.Null, "the shipped configuration keeps today's behaviour: Unavailable");
    }

    [Test]
    public void Gateway_uri_puts_the_number_in_the_user_part()
    {
        var trunk = TrunkOptions.Read(Config(("Trunk:Uri", "sip:10.0.0.5:5070;transport=tcp")))!;
        var target = trunk.TargetFor("110")!;
        Assert.Multiple(() =>
        {
            Assert.That(target.User, Is.EqualTo("110"));
            Assert.That(target.Host, Is.EqualTo("10.0.0.5"));
            Assert.That(target.Port, Is.EqualTo(5070));
            Assert.That(target.Transport, Is.EqualTo("tcp"));
            Assert.That(trunk.RingTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)), "default ring timeout");
            Assert.That(trunk.Credentials, Is.Null);
            Assert.That(trunk.PresentCaller, Is.True);
        });
    }

    [Test]
    public void A_per_number_target_wins_over_the_gateway_and_other_numbers_use_the_gateway()
    {
        var trunk = TrunkOptions.Read(Config(("Trunk:Uri", "sip:gw.example"), ("Trunk:Numbers:119", "sip:fire@10.0.0.9:5062")))!;
        Assert.Multiple(() =>
        {
            Assert.That(trunk.TargetFor("119")!.ToString(), Does.StartWith("sip:fire@10.0.0.9:5062"));
            Assert.That(trunk.TargetFor("120")!.User, Is.EqualTo("120"));
            Assert.That(trunk.TargetFor("120")!.Host, Is.EqualTo("gw.example"));
        });
    }

    [Test]
    public void Only_numbers_configured_leaves_other_numbers_without_a_route()
    {
        var trunk = TrunkOptions.Read(Config(("Trunk:Numbers:119", "sip:119@127.0.0.1:5099")))!;
        Assert.That(trunk.TargetFor("119"), Is.Not.Null);
        Assert.That(trunk.TargetFor("110"), Is.Null);
    }

    [Test]
    public void Credentials_and_ring_timeout_are_read()
    {
        var trunk = TrunkOptions.Read(Config(("Trunk:Uri", "sip:10.0.0.5"), ("Trunk:Username", "hotline"), ("Trunk:Password", "s3cret"),
            ("Trunk:RingTimeoutSeconds", "45"), ("Trunk:PresentCaller", "false")))!;
        Assert.Multiple(() =>
        {
            Assert.That(trunk.Credentials, Is.EqualTo(new Telephony.Sip.UserAgent.SipCredentials("hotline", "s3cret")));
            Assert.That(trunk.RingTimeout, Is.EqualTo(TimeSpan.FromSeconds(45)));
            Assert.That(trunk.PresentCaller, Is.False);
        });
    }

    [Test]
    public void Bad_gateway_uri_is_an_error_naming_Trunk_Uri()
    {
        Assert.That(Error(("Trunk:Uri", "10.0.0.5:5060")), Does.StartWith("Trunk:Uri:"));
        Assert.That(Error(("Trunk:Uri", "tel:+86119")), Does.StartWith("Trunk:Uri:").And.Contain("sip:"));
        Assert.That(Error(("Trunk:Uri", "sip:119@10.0.0.5")), Does.StartWith("Trunk:Uri:").And.Contain("user"));
        Assert.That(Error(("Trunk:Uri", "sip:10.0.0.5;transport=sctp")), Does.StartWith("Trunk:Uri:").And.Contain("sctp"));
    }

    [Test]
    public void Bad_number_target_is_an_error_naming_its_key()
    {
        Assert.That(Error(("Trunk:Numbers:119", "fire brigade")), Does.StartWith("Trunk:Numbers:119:"));
        Assert.That(Error(("Trunk:Numbers:fire", "sip:119@10.0.0.5")), Does.StartWith("Trunk:Numbers:fire:").And.Contain("not a number"));
    }

    [Test]
    public void Half_a_credential_is_an_error_naming_the_missing_key()
    {
        Assert.That(Error(("Trunk:Uri", "sip:10.0.0.5"), ("Trunk:Username", "hotline")), Does.Contain("Trunk:Password"));
        Assert.That(Error(("Trunk:Uri", "sip:10.0.0.5"), ("Trunk:Password", "x")), Does.Contain("Trunk:Username"));
    }

    [TestCase("0")]
    [TestCase("601")]
    [TestCase("thirty")]
    public void Ring_timeout_out_of_range_is_an_error_naming_the_key(string value)
    {
        Assert.That(Error(("Trunk:Uri", "sip:10.0.0.5"), ("Trunk:RingTimeoutSeconds", value)),
            Does.StartWith("Trunk:RingTimeoutSeconds").And.Contain(value));
    }

    [Test]
    public void Trunk_settings_without_a_trunk_are_an_error_rather_than_silently_ignored()
    {
        Assert.That(Error(("Trunk:Username", "hotline"), ("Trunk:Password", "x")), Does.Contain("Trunk:Username").And.Contain("Trunk:Uri"));
    }

    [TestCase("119", true)]
    [TestCase("+8613812345678", true)]
    [TestCase("", false)]
    [TestCase("+", false)]
    [TestCase("11 9", false)]
    [TestCase("{emergencyService}", false)]
    public void Only_digits_with_an_optional_plus_are_dialable(string number, bool dialable) =>
        Assert.That(TrunkOptions.IsDialable(number), Is.EqualTo(dialable));
}
