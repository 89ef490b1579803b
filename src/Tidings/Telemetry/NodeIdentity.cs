namespace Tidings.Telemetry;

/// <summary>
/// Which node this process is, among the Tidings nodes that share one PostgreSQL database: <c>Server:NodeId</c>, or the
/// host name and the process id. Named by <c>GET /readyz</c>, by metrics and traces (the resource's
/// <c>service.instance.id</c>) and in the log at start.
/// </summary>
internal sealed record NodeIdentity(string Id)
{
    public const string Setting = "Server:NodeId";

    /// <summary>The longest node id accepted.</summary>
    public const int MaxLength = 100;

    public static NodeIdentity From(IConfiguration configuration) =>
        new(configuration[Setting] is { } id && !string.IsNullOrWhiteSpace(id) ? id.Trim() : Default());

    /// <summary>Host name and process id: unique on one machine, and again after a restart.</summary>
    public static string Default() => $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>:</c>, at most <see cref="MaxLength"/>: safe in a label, a header and a log line.</summary>
    public static bool IsValid(string id) =>
        id.Length is > 0 and <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
