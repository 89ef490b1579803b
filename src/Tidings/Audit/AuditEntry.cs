namespace Tidings.Audit;

/// <summary>One row of <c>audit_log</c>: who (<see cref="ActorKind"/>, <see cref="Actor"/>) did what to what, and when (Unix ms).</summary>
internal sealed record AuditEntry(
    long Id,
    long AccountId,
    long Created,
    string ActorKind,
    string Actor,
    string Action,
    string TargetType,
    string TargetId,
    string Detail);
