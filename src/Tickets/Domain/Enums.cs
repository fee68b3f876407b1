namespace Telephony.Tickets.Domain;

/// <summary>How the request reached the hotline.</summary>
public enum Channel { Phone, Web }

/// <summary>The request types of a 12345 work order (工单类型).</summary>
public enum TicketType
{
    /// <summary>咨询</summary>
    Consultation,
    /// <summary>求助</summary>
    Help,
    /// <summary>投诉</summary>
    Complaint,
    /// <summary>举报</summary>
    Report,
    /// <summary>建议</summary>
    Suggestion,
    /// <summary>表扬</summary>
    Praise,
}

public enum Urgency { Normal, Urgent }

/// <summary>The citizen's rating at the return visit (回访).</summary>
public enum Satisfaction { Satisfied, BasicallySatisfied, Dissatisfied }

/// <summary>Where a work order stands against its deadline.</summary>
public enum SlaState { None, OnTime, Warning, Overdue }

public static class ChineseNames
{
    public static string Of(TicketType type) => type switch
    {
        TicketType.Consultation => "咨询",
        TicketType.Help => "求助",
        TicketType.Complaint => "投诉",
        TicketType.Report => "举报",
        TicketType.Suggestion => "建议",
        TicketType.Praise => "表扬",
        _ => type.ToString(),
    };

    public static string Of(TicketStatus status) => status switch
    {
        TicketStatus.Draft => "草稿",
        TicketStatus.Accepted => "已受理",
        TicketStatus.Dispatched => "已派单",
        TicketStatus.InProgress => "办理中",
        TicketStatus.Replied => "已答复",
        TicketStatus.Visited => "已回访",
        TicketStatus.Closed => "已办结",
        TicketStatus.Returned => "退回",
        TicketStatus.Escalated => "督办",
        TicketStatus.Merged => "已合并",
        TicketStatus.Reopened => "重新办理",
        _ => status.ToString(),
    };
}
