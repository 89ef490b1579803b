using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Accounts;
using Tidings.Storage;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// The real Tidings server in-process, on its own fresh SQLite file, or on its own fresh PostgreSQL database when
/// <c>TIDINGS_TEST_PROVIDER=Postgres</c> (how CI runs the whole suite a second time; <see cref="PostgresTidingsApp"/>
/// always uses PostgreSQL).
/// </summary>
public class TidingsApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ProviderVariable = "TIDINGS_TEST_PROVIDER";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
    private string? _postgresDatabase;
    private string? _postgresConnectionString;

    /// <summary>Whether this run of the suite puts the default fixtures on PostgreSQL.</summary>
    public static bool SuiteOnPostgres =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>False for fixtures that pin their own store (a SQLite file, or PostgreSQL in every run).</summary>
    protected virtual bool FollowsSuiteProvider => true;

    /// <summary>Whether this fixture's server runs on PostgreSQL.</summary>
    public bool OnPostgres => FollowsSuiteProvider && SuiteOnPostgres;

    /// <summary>The master key file in this fixture's own folder; on SQLite that is also where it is by default (next to the database).</summary>
    public string MasterKeyFile => Path.Combine(_directory, "master.key");

    protected virtual IReadOnlyDictionary<string, string?> Settings => OnPostgres
        ? new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:PostgresConnectionString"] = _postgresConnectionString,
            ["Secrets:MasterKeyFile"] = MasterKeyFile,
        }
        : new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(_directory, "tidings.db"),
        };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Accounts:CreateDefaultAccount", "false");
        // Webhook receivers in tests listen on 127.0.0.1, which the SSRF guard refuses unless allowed.
        builder.UseSetting("Webhooks:Delivery:AllowedNetworks:0", "127.0.0.1/32");
        // Tests journal events at fixed dates months ago; the retention sweep (its first run comes seconds after
        // start) would delete them under a test's feet. Retention has its own fixture (LogRetentionTests).
        builder.UseSetting("LogFiles:RetentionDays", "0");
        builder.UseSetting("Events:ProfileEventRetention", "00:00:00");
        // Parallel tests keep the machine busy, and the journal would leave tracked events in its intake log for up to
        // Events:IntakeMaxDeferral. Deferral has its own tests (JournalIntakeTests).
        builder.UseSetting("Events:IntakeMaxDeferral", "00:00:00");
        // Log-file downloads read a few rows per page, so every download of more than a few rows crosses page
        // boundaries (and the merge of several record types crosses them at different rows).
        builder.UseSetting("LogFiles:ReadPageRows", "2");
        // PostgreSQL: parallel test classes create databases and migrate them in long transactions, which hold the
        // journal's visibility watermark back; tests read right after they append.
        builder.UseSetting("Events:VisibilityWait", "00:00:05");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        if (OnPostgres)
        {
            (_postgresDatabase, _postgresConnectionString) = await TestDatabases.CreatePostgresDatabaseAsync(TestDatabases.RequirePostgres());
        }

        _ = Services; // start the host (runs the migrations), on the test server or on Kestrel
        await Task.CompletedTask;
    }

    /// <summary>Skips or fails the calling test when the store this fixture needs is not available.</summary>
    public virtual void EnsureAvailable()
    {
    }

    /// <summary>A new account with a read-write token, and a client that sends it on every request.</summary>
    public async Task<ApiClient> NewAccountAsync(string name = "Test", bool canWrite = true)
    {
        var accounts = Services.GetRequiredService<AccountStore>();
        var account = await accounts.CreateAccountAsync(name);
        var token = await accounts.CreateTokenAsync(account.Id, "test", canWrite);
        return new ApiClient(CreateClient(), token.Token, account.Id);
    }

    /// <summary>Another token for the account <paramref name="client"/> is bound to, and a client that sends it.</summary>
    public async Task<ApiClient> NewTokenAsync(ApiClient client, bool canWrite)
    {
        var token = await Services.GetRequiredService<AccountStore>().CreateTokenAsync(client.AccountId, "second", canWrite);
        return new ApiClient(CreateClient(), token.Token, client.AccountId);
    }

    /// <summary>The account's change-capture records, in journal order, read straight from the server's storage.</summary>
    public async Task<IReadOnlyList<JournalRecord>> JournalAsync(long accountId)
    {
        await using var connection = await Services.OpenCaughtUpReadAsync(TestContext.Current.CancellationToken);
        var rows = await connection.QueryAsync<(string Type, string Payload)>(
            "SELECT type, payload FROM journal WHERE account_id = @accountId ORDER BY seq", new { accountId });
        return rows.Select(r => new JournalRecord(r.Type, JsonNode.Parse(r.Payload)!.AsObject())).ToList();
    }

    /// <summary>How many field indexes (<c>ix_…</c>) a value table has, on either provider.</summary>
    public Task<long> FieldIndexCountAsync(string table) => ScalarAsync<long>(OnPostgres
        ? "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table AND indexname LIKE 'ix\\_%'"
        : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = @table AND name LIKE 'ix\\_%' ESCAPE '\\'", new { table });

    /// <summary>Runs a scalar query against the server's storage (schema checks such as indexes).</summary>
    public async Task<T?> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Services.OpenCaughtUpReadAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<T>(sql, parameters);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (_postgresDatabase is not null && TestDatabases.PostgresAdminConnectionString is { } admin)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropPostgresDatabaseAsync(admin, _postgresDatabase);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>One row of the <c>journal</c> table.</summary>
public sealed record JournalRecord(string Type, JsonObject Payload);

/// <summary>An HTTP client bound to one account's token, with helpers for Copernica-style calls.</summary>
public sealed class ApiClient(HttpClient http, string token, long accountId)
{
    public HttpClient Http { get; } = http;

    public string Token { get; } = token;

    public long AccountId { get; } = accountId;

    /// <summary>Appends the access token to a path (which may already carry a query string).</summary>
    public string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + Token;

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(Url(path), TestContext.Current.CancellationToken);

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await GetAsync(path);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path} failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Http.PostAsJsonAsync(Url(path), body, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PutJsonAsync(string path, object body) => Http.PutAsJsonAsync(Url(path), body, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, Url(path));
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> DeleteAsync(string path) => Http.DeleteAsync(Url(path), TestContext.Current.CancellationToken);

    /// <summary>GETs and returns the body as text whatever the status (for error and raw-shape checks).</summary>
    public async Task<(int Status, string Body)> GetTextAsync(string path)
    {
        var response = await GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Creates a profile in a database from a field map and returns its id.</summary>
    public Task<long> CreateProfileAsync(long databaseId, object fields, object? interests = null) =>
        CreateAsync($"/v3/database/{databaseId}/profiles", interests is null ? new { fields } : new { fields, interests });

    /// <summary>POSTs and returns the id from <c>X-Created</c>, failing the test if there is none.</summary>
    public async Task<long> CreateAsync(string path, object body)
    {
        var response = await PostJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(201, $"POST {path} failed: {text}");
        return long.Parse(response.Headers.GetValues("X-Created").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A database with the given fields (name → type), returning its id.</summary>
    public async Task<long> CreateDatabaseAsync(string name, params (string Name, string Type)[] fields)
    {
        var id = await CreateAsync("/v3/databases", new { name });
        foreach (var (fieldName, type) in fields) await CreateAsync($"/v3/database/{id}/fields", new { name = fieldName, type });
        return id;
    }
}

/// <summary>Reads a Copernica error body and status.</summary>
public static class ResponseAssertions
{
    public static async Task ShouldBeCopernicaErrorAsync(this HttpResponseMessage response, string? message = null)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(400, text);
        response.Content.Headers.ContentType?.ToString().ShouldBe("application/json");
        var error = JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>();
        error.ShouldNotBeNullOrEmpty(text);
        if (message is not null) error.ShouldBe(message);
    }
}

/// <summary>Small readers for response checks.</summary>
public static class ResponseChecks
{
    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task ShouldHaveStatusAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(status, text);
    }

    /// <summary>The single value of a response header, or null.</summary>
    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    /// <summary>A string property of a JSON object (fails if absent or not a string).</summary>
    public static string Str(this JsonNode? node, string name) => node![name]!.GetValue<string>();

    /// <summary>The ids (as strings) of the items in a list wrapper's <c>data</c>.</summary>
    public static List<string> DataIds(this JsonNode? list) => list!["data"]!.AsArray().Select(x => x!["ID"]!.GetValue<string>()).ToList();

    /// <summary>The long id as Copernica writes it: a string.</summary>
    public static string S(this long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
