using Tidings.Webhooks.Domains;

namespace Tidings.Dashboard;

/// <summary>
/// What a domain's owner publishes to prove it (the TXT record, the verification file and where it is looked for), and
/// where the Validate button posts; the webhook's Validation tab and the domain's own page show the same.
/// </summary>
/// <param name="FileUrls">Where the file is looked for, in order: the callback's folder and its site root (for the
/// webhook of the tab) or every handler under the domain; none known: the site root.</param>
/// <param name="ValidateAction">The form action of the Validate button; null for a user who may not validate.</param>
internal sealed record DomainChallenge(DomainRecord Domain, IReadOnlyList<string> FileUrls, string? ValidateAction)
{
    /// <summary>A loopback claim (development only) has no DNS of its own: only its file counts.</summary>
    public bool FileOnly => Webhooks.Outbound.LoopbackHosts.Normalize(Domain.Domain) is not null;

    /// <summary>The TXT record as a zone-file line.</summary>
    public string ZoneLine => $"{Domain.TxtName}. IN TXT \"{Domain.TxtValue}\"";

    public static DomainChallenge For(DomainRecord domain, IReadOnlyList<string> handlers, string? validateAction) =>
        new(domain, DomainVerifier.Candidates(domain, handlers), validateAction);
}
