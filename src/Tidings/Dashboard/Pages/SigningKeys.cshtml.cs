using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Tidings.Webhooks.Signing;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The server's RSA keys for Copernica-style signatures, read-only: each published key's DNS record and public key, as
/// <c>/.well-known/tidings/webhook-keys</c> and <c>keys list</c> show them. Rotating stays an operator's command.
/// </summary>
internal sealed class SigningKeysModel(SigningKeyStore keys, IOptions<WebhookSigningOptions> options) : PageModel
{
    public const string RotateCommand = "dotnet Tidings.dll keys rotate";

    public IReadOnlyList<SigningKey> Keys { get; private set; } = [];
    public string Domain => options.Value.Domain;
    public int OverlapHours => options.Value.RotationOverlapHours;

    public async Task OnGetAsync() => Keys = await keys.ListPublishedAsync(HttpContext.RequestAborted);
}
