using Telephony.Host.Calls;

namespace Telephony.EndToEnd.Media;

/// <summary>SIP INFO application/dtmf-relay bodies as phones send them; anything else is no key, never an exception.</summary>
public class DtmfRelayTests
{
    [TestCase("Signal=5\r\nDuration=160\r\n", '5')]
    [TestCase("Signal= #\nDuration=100", '#')]
    [TestCase("signal=11\r\n", '#')]
    [TestCase("Signal=10\r\n", '*')]
    [TestCase("Signal=d\r\n", 'D')]
    public void Dtmf_relay_body_gives_its_key(string body, char key) =>
        Assert.That(DtmfRelay.TryParse("application/dtmf-relay", body), Is.EqualTo(key));

    [TestCase("application/dtmf-relay", "Duration=160")]
    [TestCase("application/dtmf-relay", "Signal=55")]
    [TestCase("application/dtmf-relay", "Signal=x")]
    [TestCase("application/dtmf-relay", "")]
    [TestCase("application/dtmf", "Signal=5")]
    [TestCase(null, "Signal=5")]
    public void Other_bodies_give_no_key(string? contentType, string body) =>
        Assert.That(DtmfRelay.TryParse(contentType, body), Is.Null);
}
