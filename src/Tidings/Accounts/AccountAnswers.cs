using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Accounts;

/// <summary><c>GET identity</c> as Copernica answers it: ids as strings, a customer and a licence of the account's own.</summary>
internal sealed record IdentityAnswer(string Id, string Name, string Description, string Company, CustomerAnswer Customer, IReadOnlyList<string> UsedBy, LicenseAnswer License)
{
    public static IdentityAnswer From(Account account)
    {
        var id = account.Id.ToString(CultureInfo.InvariantCulture);
        var customer = new CustomerAnswer(id, account.Company.Length > 0 ? account.Company : account.Name, IsPartner: false);
        return new IdentityAnswer(id, account.Name, account.Description, account.Company, customer, [], new LicenseAnswer(id, IsTrial: false));
    }
}

internal sealed record CustomerAnswer(string Id, string Name, bool IsPartner);

internal sealed record LicenseAnswer(string Id, bool IsTrial);

/// <summary>One item of <c>GET notices</c>.</summary>
internal sealed record NoticeAnswer([property: JsonPropertyName("ID")] string Id, string Kind, string? Subject, string Message, string Created)
{
    public static NoticeAnswer From(AccountNotice notice, CopernicaTime time) => new(
        notice.Id.ToString(CultureInfo.InvariantCulture), notice.Kind, notice.SubjectId?.ToString(CultureInfo.InvariantCulture), notice.Message, time.FormatMs(notice.Created));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IdentityAnswer))]
[JsonSerializable(typeof(Page<NoticeAnswer>))]
internal sealed partial class AccountJsonContext : JsonSerializerContext;
