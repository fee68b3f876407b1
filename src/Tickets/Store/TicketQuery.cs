using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>A search: every filter given must hold; results newest first, one page at a time (page 1 first).</summary>
public sealed record TicketQuery
{
    public const int MaxPageSize = 100;

    /// <summary>Words looked for in the title, description and location.</summary>
    public string? Keyword { get; init; }
    public string? Code { get; init; }
    public string? Phone { get; init; }
    public TicketStatus? Status { get; init; }
    public string? Department { get; init; }
    /// <summary>Created at or after.</summary>
    public DateTimeOffset? From { get; init; }
    /// <summary>Created before.</summary>
    public DateTimeOffset? To { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
}

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);
