using System.Net;
using Dapper;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Outbound;
using Tidings.Webhooks.Domains;

namespace Tidings.Webhooks.Development;

/// <summary>A webhook of this server whose handler is the local receiver.</summary>
internal sealed record ReceiverTarget(WebhookRecord Webhook, Uri Handler);

/// <summary>A verification file the receiver serves: the claim it proves, at the path the server looks for it.</summary>
internal sealed record ServedFile(DomainRecord Claim, string Path);

/// <summary>
/// What the local receiver knows of the server, read from its storage on every request, so webhooks and claims made
/// after the receiver started count at once.
/// </summary>
internal sealed class ReceiverTargets(IStorage storage, DomainStore domains, SafeHttpClientFactory safe)
{
    /// <summary>
    /// The webhooks (of every account) whose handler is <c>http://</c> on this port and on this machine: <c>localhost</c>,
    /// a loopback address, or a name <c>Webhooks:Delivery:Hosts</c> sends to one.
    /// </summary>
    public async Task<IReadOnlyList<ReceiverTarget>> PointingAtAsync(int port, CancellationToken ct)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        var rows = await connection.QueryAsync<WebhookRecord>($"SELECT {WebhookStore.Columns} FROM webhooks ORDER BY id");
        var targets = new List<ReceiverTarget>();
        foreach (var row in rows)
        {
            if (Uri.TryCreate(row.Handler, UriKind.Absolute, out var handler) && handler.Scheme == Uri.UriSchemeHttp && handler.Port == port && IsThisMachine(handler))
            {
                targets.Add(new ReceiverTarget(row, handler));
            }
        }

        return targets;
    }

    /// <summary>The verification file the server would look for at <paramref name="path"/> for one of the targets' claims, or null.</summary>
    public async Task<ServedFile?> FileAtAsync(string path, IReadOnlyList<ReceiverTarget> targets, CancellationToken ct)
    {
        foreach (var account in targets.GroupBy(t => t.Webhook.AccountId))
        {
            foreach (var claim in await domains.ClaimsAsync(account.Key, ct))
            {
                var handlers = account.Where(t => HostNames.IsUnder(t.Handler.IdnHost, claim.Domain)).Select(t => t.Handler.ToString()).ToList();
                if (handlers.Count == 0) continue;
                foreach (var candidate in DomainVerifier.Candidates(claim, handlers))
                {
                    if (string.Equals(Uri.UnescapeDataString(new Uri(candidate).AbsolutePath), path, StringComparison.Ordinal)) return new ServedFile(claim, path);
                }
            }
        }

        return null;
    }

    private bool IsThisMachine(Uri handler) =>
        LoopbackHosts.Normalize(handler.Host) is not null
        || (safe.FixedAnswer(handler.IdnHost) is { } address && IPAddress.IsLoopback(AddressPolicy.Canonical(address)));
}
