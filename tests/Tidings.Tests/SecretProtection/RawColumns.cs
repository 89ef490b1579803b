using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.SecretProtection;

/// <summary>The secret columns as they are in the database, read and written past the server's own code.</summary>
public static class RawColumns
{
    /// <summary><c>webhook_secrets.secret</c> of a webhook by row id.</summary>
    public static async Task<Dictionary<long, string>> WebhookSecretsAsync(TidingsApp app, long webhookId)
    {
        await using var c = await app.Services.OpenCaughtUpReadAsync(TestContext.Current.CancellationToken);
        return (await c.QueryAsync<(long Id, string Secret)>("SELECT id, secret FROM webhook_secrets WHERE webhook_id = @webhookId", new { webhookId }))
            .ToDictionary(r => r.Id, r => r.Secret);
    }

    /// <summary><c>webhook_signing_keys.private_key</c> by selector.</summary>
    public static async Task<Dictionary<string, byte[]>> PrivateKeysAsync(TidingsApp app)
    {
        await using var c = await app.Services.OpenCaughtUpReadAsync(TestContext.Current.CancellationToken);
        return (await c.QueryAsync<(string Selector, byte[] Key)>("SELECT selector, private_key FROM webhook_signing_keys"))
            .ToDictionary(r => r.Selector, r => r.Key);
    }

    public static Task<int> ExecuteAsync(TidingsApp app, string sql, object args) =>
        app.Services.GetRequiredService<IStorage>().WriteAsync(w => w.Connection.ExecuteAsync(sql, args, w.Transaction), TestContext.Current.CancellationToken);

    /// <summary>The text form of a stored binary value (an encrypted one is ASCII).</summary>
    public static string Text(byte[] stored) => Encoding.ASCII.GetString(stored);
}
