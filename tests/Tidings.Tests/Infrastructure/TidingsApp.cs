using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Accounts;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// The real Tidings server in-process, on its own fresh SQLite file (<see cref="PostgresTidingsApp"/> gives a fresh
/// PostgreSQL database instead).
/// </summary>
public class TidingsApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:SqlitePath"] = Path.Combine(_directory, "tidings.db"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Accounts:CreateDefaultAccount", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _ = Server; // start the host (runs the migrations)
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>An HTTP client bound to one account's token, with helpers for Copernica-style calls.</summary>
public sealed class ApiClient(HttpClient http, string token, long accountId)
{
    public HttpClient Http { get; } = http;

    public string Token { get; } = token;

    public long AccountId { get; } = accountId;

    /// <summary>Appends the access token to a path (which may already carry a query string).</summary>
    public string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + Token;

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(Url(path), TestContext.Current.CancellationToken);

    public async Task<JsonNode?> GetJsonAsync(string path)
    {
        var response = await GetAsync(path);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path} failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text);
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
