using System.Text.Json.Nodes;

namespace Tidings.Events;

/// <summary>How an event finds the message it is about: the public tracking token, or the message id (MTA results).</summary>
internal enum DestinationKey { Token, MessageId }

/// <summary>
/// An event as a producer knows it: its type, which message it is about, when it happened, and the facts only the
/// producer saw (IP, headers, SMTP code, …). The journal writer adds the rest (enrichment) before appending it.
/// </summary>
/// <param name="AccountId">The account a message id must belong to (MTA results); null for public tracking tokens.</param>
/// <param name="DedupeKey">Events with the same key (per account) are recorded once; a replay is reported as duplicate.</param>
internal sealed record RawEvent(string Type, DestinationKey KeyKind, string Key, long? AccountId, long OccurredMs, JsonObject Facts, string? DedupeKey = null);

internal enum AppendOutcome
{
    /// <summary>Durably appended to the journal.</summary>
    Recorded,

    /// <summary>The token or message id matches no destination (of the account): nothing recorded.</summary>
    UnknownDestination,

    /// <summary>An event with the same dedupe key was recorded before: not recorded again.</summary>
    Duplicate,
}

/// <summary>A destination as the journal needs it to enrich an event.</summary>
internal sealed record DestinationRef(long Id, long AccountId, long MailingId, string MessageId, string Token, long ProfileId, long? SubprofileId, long DatabaseId, long CollectionId, string Email);
