namespace Telephony.Sip.Transaction;

/// <summary>
/// The states of the four transaction state machines: RFC 3261 §17.1.1 (Calling, Proceeding, Completed),
/// §17.1.2 and §17.2.2 (Trying, Proceeding, Completed), §17.2.1 (Proceeding, Completed, Confirmed), and
/// RFC 6026 §7.1/§7.2 (Accepted, entered by both INVITE machines on a 2xx). Every machine ends in Terminated,
/// at which point the transaction is removed from the layer (§17.1.1.2: "destroyed the instant it enters").
/// </summary>
public enum TransactionState { Calling, Trying, Proceeding, Completed, Confirmed, Accepted, Terminated }

/// <summary>Why a transaction told its user it failed (§17.1.1.2 and §17.2.1 timeouts, §17.1.4 and §17.2.4 transport errors).</summary>
public enum TransactionFailure { Timeout, TransportError }
