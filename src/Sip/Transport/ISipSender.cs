using Telephony.Sip.Message;

namespace Telephony.Sip.Transport;

/// <summary>
/// What the transaction layer needs of the transports: send one message to one place. A send that
/// fails (no route, connection refused or closed) returns false; the transaction reports a transport error
/// to its user (§17.1.4, §17.2.4).
/// </summary>
public interface ISipSender
{
    bool Send(SipMessage message, SipEndPoint destination);
}
