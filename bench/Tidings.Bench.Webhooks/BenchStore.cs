using Microsoft.Data.Sqlite;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// Direct changes to the server's SQLite file, made while the server is stopped (or, for the validated domain, when
/// only the REST API would otherwise need DNS): which webhook is on and where its cursor stands.
/// </summary>
public sealed class BenchStore(string databaseFile)
{
    public const string Domain = "tidings.test";
    public const string Host = "hooks.tidings.test";

    /// <summary>Marks the receiver's domain as validated for account 1 (as a DNS check would).</summary>
    public void ValidateDomain() => Execute(
        "INSERT INTO validated_domains (account_id, domain, txt_token, file_name, file_content, created, validated_at, method) VALUES (1, @domain, 't', 'f.txt', 'c', 0, 1, 'dns')",
        ("@domain", Domain));

    public long JournalEnd() => (long)Scalar("SELECT COALESCE(MAX(seq), 0) FROM journal")!;

    /// <summary>The lowest position of the consumers other than webhooks (statistics), to wait until they have caught up.</summary>
    public long OtherConsumersAt() => (long)(Scalar("SELECT COALESCE(MIN(seq), 0) FROM consumer_cursors WHERE name NOT LIKE 'webhook:%' AND name NOT LIKE 'webhooks:%'") ?? 0L);

    /// <summary>Only <paramref name="webhookId"/> delivers, from just after <paramref name="cursor"/>, with no retries left from before.</summary>
    public void DeliverOnly(long webhookId, long cursor)
    {
        Execute("UPDATE webhooks SET enabled = CASE WHEN id = @id THEN 1 ELSE 0 END, failing_since = NULL, disabled_reason = NULL", ("@id", webhookId));
        Execute("DELETE FROM consumer_cursors WHERE name LIKE 'webhook:%'");
        Execute("INSERT INTO consumer_cursors (name, seq) VALUES (@name, @seq)", ("@name", $"webhook:{webhookId}"), ("@seq", cursor));
        Execute("DELETE FROM webhook_deliveries");
        Execute("DELETE FROM webhook_attempts");
        Execute("DELETE FROM consumer_cursors WHERE name = 'webhooks:retries'");
    }

    /// <summary>Opens in the journal after <paramref name="seq"/>.</summary>
    public long OpensAfter(long seq)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal WHERE seq > @seq AND type = 'open'";
        command.Parameters.AddWithValue("@seq", seq);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Whether the webhook's stored health says its calls are failing.</summary>
    public bool Failing(long webhookId) => Scalar($"SELECT failing_since FROM webhooks WHERE id = {webhookId}") is long;

    /// <summary>The webhook's rows in the retry store: (pending, all).</summary>
    public (long Pending, long All) Retries(long webhookId) =>
        ((long)Scalar($"SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = {webhookId} AND status = 'pending'")!,
         (long)Scalar($"SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = {webhookId}")!);

    public long Count(string table) => (long)Scalar($"SELECT COUNT(*) FROM {table}")!;

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False;Default Timeout=30");
        connection.Open();
        return connection;
    }
}
