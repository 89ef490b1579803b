namespace Tidings.Webhooks.Outbound;

/// <summary>
/// Settings for trying webhooks on one machine. Bound from <c>Webhooks:Development</c>; everything here is off by
/// default and never meant for a server other people use.
/// </summary>
internal sealed class WebhookDevelopmentOptions
{
    public const string Section = "Webhooks:Development";

    /// <summary>The full name of <see cref="AllowLoopback"/>, for messages that tell the operator what to set.</summary>
    public const string AllowLoopbackSetting = Section + ":" + nameof(AllowLoopback);

    /// <summary>
    /// Lets handlers on this machine — host <c>localhost</c> or a loopback address (<c>127.0.0.0/8</c>, <c>::1</c>) —
    /// be claimed as domains, validated by their verification file and called. Only those exact hosts: a name that
    /// resolves to a loopback address still needs <c>Webhooks:Delivery:AllowedNetworks</c>.
    /// </summary>
    public bool AllowLoopback { get; set; }
}
