namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>Deliveries give up after a second of retries, so failed deliveries (for replays) appear quickly.</summary>
public sealed class ShortRetryWindowApp : DeliveryApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Dispatch:RetryWindow"] = "00:00:01",
    };
}

/// <summary>A webhook whose calls all fail for two seconds is disabled.</summary>
public sealed class QuickDisableApp : DeliveryApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Dispatch:DisableAfter"] = "00:00:02",
    };
}

/// <summary>The SSRF guard as in production: no private or loopback network is allowed (only a documentation range).</summary>
public sealed class NoPrivateNetworksApp : DeliveryApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Delivery:AllowedNetworks:0"] = "192.0.2.0/24",
    };
}
