using Dapper;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// The server with the delivery engine tuned for tests: short retry delays and pauses, a quick configuration refresh
/// and a short request timeout, so fault scenarios play out in seconds.
/// </summary>
public class DeliveryApp : TidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Dispatch:RefreshInterval"] = "00:00:00.200",
        ["Webhooks:Dispatch:FirstRetryDelay"] = "00:00:00.300",
        ["Webhooks:Dispatch:MaxRetryDelay"] = "00:00:01",
        ["Webhooks:Dispatch:MaxPause"] = "00:00:00.500",
        ["Webhooks:Dispatch:PauseAfterFailures"] = "3",
        ["Webhooks:Dispatch:PollInterval"] = "00:00:00.100",
        ["Webhooks:Delivery:RequestTimeout"] = "00:00:01.500",
        ["Webhooks:Delivery:Hosts:" + ReceiverHost] = "127.0.0.1",
    };

    /// <summary>The test receivers' domain; <see cref="ReceiverHost"/> resolves to 127.0.0.1 through the Hosts setting.</summary>
    public const string Domain = "tidings.test";

    /// <summary>The receivers' host name (under <see cref="Domain"/>).</summary>
    public const string ReceiverHost = "hooks." + Domain;

    /// <summary>Marks a domain validated for an account (parameters <c>@accountId</c>, <c>@domain</c>).</summary>
    public const string ValidatedDomainSql =
        "INSERT INTO validated_domains (account_id, domain, txt_token, file_name, file_content, created, validated_at, method) " +
        "VALUES (@accountId, @domain, 't', 'f.txt', 'c', 0, 1, 'dns')";

    /// <summary>Marks <see cref="Domain"/> as a validated domain of the account (how DNS/file validation ends; tested elsewhere).</summary>
    public async Task ValidateTestDomainAsync(long accountId)
    {
        var storage = Services.GetRequiredService<IStorage>();
        await storage.WriteAsync(w => w.Connection.ExecuteAsync(ValidatedDomainSql, new { accountId, domain = Domain }, w.Transaction));
    }

    /// <summary>Creates a webhook (JSON body) and returns its id.</summary>
    public static Task<long> CreateWebhookAsync(ApiClient client, Uri handler, object settings)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(settings)!.AsObject();
        body["handler"] = handler.ToString();
        return client.CreateAsync("/v3/webhooks", body);
    }
}

/// <summary>A receiver URL under the validated test domain for a stub listening on 127.0.0.1.</summary>
public static class Localhost
{
    public static Uri Of(Uri stub, string path = "hook") => Of(stub.Port, path);

    public static Uri Of(int port, string path = "hook") => new($"http://{DeliveryApp.ReceiverHost}:{port}/{path}");
}
