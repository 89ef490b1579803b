using Tidings.Tests.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Development;

/// <summary>
/// The delivery test server with <c>Webhooks:Development:AllowLoopback</c> on. The networks the other fixtures allow
/// (127.0.0.1/32) are replaced by a documentation range, so whatever reaches a loopback address here does so by the
/// development setting alone.
/// </summary>
public sealed class LoopbackApp : DeliveryApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Development:AllowLoopback"] = "true",
        ["Webhooks:Delivery:AllowedNetworks:0"] = "192.0.2.0/24",
    };
}
