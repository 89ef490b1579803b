using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Tidings.SecretProtection;
using Tidings.Storage;

namespace Tidings.Dashboard;

/// <summary>
/// ASP.NET Core Data Protection's key ring (the keys of sign-in cookies and antiforgery tokens) in the database, so
/// sign-ins survive a restart and every node reads the same keys. Each key's XML is encrypted with the master key,
/// bound to its row, and the column is registered with the secret sweep (<c>secrets reencrypt</c> covers it).
/// </summary>
internal sealed class DataProtectionKeyRepository(IStorage storage, ISecretProtector protector, TimeProvider time) : IXmlRepository
{
    public static readonly SecretColumn XmlColumn = new("data_protection_keys", "xml");

    // IXmlRepository is synchronous; Data Protection calls it rarely (a key ring refresh, a new key), and there is no
    // synchronisation context in ASP.NET Core to deadlock on.
    public IReadOnlyCollection<XElement> GetAllElements() => ReadAllAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> ReadAllAsync()
    {
        await using var connection = await storage.OpenReadAsync();
        var rows = await connection.QueryAsync<(long Id, string Xml)>("SELECT id, xml FROM data_protection_keys ORDER BY id");
        return rows.Select(r => XElement.Parse(protector.Unprotect(XmlColumn.Purpose, r.Id, r.Xml))).ToList();
    }

    private Task StoreAsync(XElement element, string friendlyName) =>
        // Inserted first for its id, which the ciphertext is bound to; both in one transaction, so no row is ever seen empty.
        storage.WriteAsync(async w =>
        {
            var id = await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO data_protection_keys (friendly_name, xml, created) VALUES (@friendlyName, '', @created) RETURNING id",
                new { friendlyName, created = time.GetUtcNow().ToUnixTimeMilliseconds() }, w.Transaction);
            var xml = protector.Protect(XmlColumn.Purpose, id, element.ToString(SaveOptions.DisableFormatting));
            await w.Connection.ExecuteAsync("UPDATE data_protection_keys SET xml = @xml WHERE id = @id", new { xml, id }, w.Transaction);
            w.LeavesProfilesAlone();
            return id;
        });
}
