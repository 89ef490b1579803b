namespace Tidings.Mailings;

/// <summary>A mailing: a message sent to every profile or subprofile of a target.</summary>
internal sealed class MailingRecord
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public string TargetType { get; set; } = "";
    public long TargetId { get; set; }
    public long DatabaseId { get; set; }
    public long CollectionId { get; set; }
    public long TemplateId { get; set; }
    public string Subject { get; set; } = "";
    public string FromName { get; set; } = "";
    public string FromEmail { get; set; } = "";
    public string SenderDomain { get; set; } = "";
    public string Tags { get; set; } = "[]";
    public string Links { get; set; } = "[]";
    public string Type { get; set; } = "mass";
    public string Status { get; set; } = "preparing";
    public long ExpansionCursor { get; set; }
    public long Destinations { get; set; }
    public long Created { get; set; }
}

/// <summary>One message of a mailing, as listed by <c>ms/emailing/{id}/destinations</c>.</summary>
internal sealed class DestinationRecord
{
    public long Id { get; set; }
    public long MailingId { get; set; }
    public string MessageId { get; set; } = "";
    public string Token { get; set; } = "";
    public long ProfileId { get; set; }
    public long? SubprofileId { get; set; }
    public string Email { get; set; } = "";
    public long Sent { get; set; }
}
