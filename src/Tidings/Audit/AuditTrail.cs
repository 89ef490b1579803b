using System.Globalization;
using System.Text.Json.Nodes;
using Tidings.Rejections;
using Tidings.Storage;

namespace Tidings.Audit;

/// <summary>
/// The account's audit log for every feature: a feature service records each change it makes, once, whichever front
/// end asked for it (REST, the dashboard, the command line); the REST API and the dashboard read it back.
/// </summary>
internal sealed partial class AuditTrail(AuditStore store, AuditActors actors, TimeProvider time, ILogger<AuditTrail> logger)
{
    /// <summary>The longest detail kept; a detail says what changed in a few words, never a value that is a secret.</summary>
    public const int MaxDetail = 200;

    public async Task RecordAsync(long accountId, string action, string targetType, long targetId, string detail, CancellationToken ct) =>
        await RecordAsync(accountId, action, targetType, targetId.ToString(CultureInfo.InvariantCulture), detail, ct);

    public async Task RecordAsync(long accountId, string action, string targetType, string targetId, string detail, CancellationToken ct)
    {
        var actor = actors.Current();
        if (detail.Length > MaxDetail) detail = detail[..(MaxDetail - 1)] + "…";
        // Recorded even when the caller gives up on the answer: the change itself has been made.
        await store.AddAsync(accountId, time.GetUtcNow().ToUnixTimeMilliseconds(), actor, action, targetType, targetId, detail, CancellationToken.None);
        LogRecorded(logger, accountId, action, targetType, targetId, actor.Kind);
    }

    /// <summary>
    /// Records a change the server makes on its own (a webhook it disabled after failing calls) inside the transaction
    /// that makes it, so the entry exists exactly when the change does.
    /// </summary>
    public static Task RecordSystemAsync(WriteContext w, long accountId, string action, string targetType, long targetId, string detail, long createdMs) =>
        AuditStore.AddAsync(w, accountId, createdMs, new AuditActor(AuditActorKinds.System, "Tidings"), action, targetType,
            targetId.ToString(CultureInfo.InvariantCulture), detail.Length > MaxDetail ? detail[..(MaxDetail - 1)] + "…" : detail);

    /// <summary>A page of the account's entries, newest first; <paramref name="targetType"/> (empty: all) must be one of <see cref="AuditTargets.All"/>.</summary>
    public Task<(IReadOnlyList<AuditEntry> Items, long Total)> ListAsync(long accountId, string? targetType, long offset, long take, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(targetType)) targetType = null;
        else if (!AuditTargets.All.Contains(targetType, StringComparer.Ordinal))
            throw new RequestRejectedException($"Invalid type (expected one of {string.Join(", ", AuditTargets.All)})");
        return store.ListAsync(accountId, targetType, offset, take, ct);
    }

    /// <summary>The keys a change body set, as a detail ("keys: handler, trigger"); never their values.</summary>
    public static string Keys(JsonObject body) => body.Count == 0 ? "" : "keys: " + string.Join(", ", body.Select(p => p.Key));

    [LoggerMessage(EventId = 17001, Level = LogLevel.Information, Message = "Audit: account {AccountId}: {Action} {TargetType} {TargetId} by {ActorKind}")]
    private static partial void LogRecorded(ILogger logger, long accountId, string action, string targetType, string targetId, string actorKind);
}
