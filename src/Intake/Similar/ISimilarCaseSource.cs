namespace Telephony.Intake.Similar;

/// <summary>
/// Where the similar-case index gets the existing work orders at start. Intake does not reference Tickets:
/// Host implements this over the ticket store (open orders as <see cref="CaseRecord"/>s) and then keeps the
/// index current with <see cref="SimilarCaseIndex.Add"/> and <see cref="SimilarCaseIndex.SetOpen"/>.
/// </summary>
public interface ISimilarCaseSource
{
    Task<IReadOnlyList<CaseRecord>> LoadOpenOrdersAsync(CancellationToken cancel);
}

/// <summary>No work orders: the default until Host registers a source over Tickets.</summary>
public sealed class NoSimilarCases : ISimilarCaseSource
{
    public Task<IReadOnlyList<CaseRecord>> LoadOpenOrdersAsync(CancellationToken cancel) => Task.FromResult<IReadOnlyList<CaseRecord>>([]);
}
