using System.ComponentModel.DataAnnotations;

namespace Tidings.Mailings;

/// <summary>Mailings and their destinations. Bound from the <c>Mailings</c> section.</summary>
internal sealed class MailingsOptions
{
    public const string Section = "Mailings";

    /// <summary>Destinations created (with their attempt events) per transaction while a mailing is prepared.</summary>
    [Range(1, 100_000)]
    public int ExpansionBatchSize { get; set; } = 1000;

    /// <summary>
    /// Public base URL of the tracking endpoints (open pixel, click redirect) put into the links handed to the mail
    /// transfer agent, e.g. <c>https://t.example.com</c>. Empty: the request's own scheme and host.
    /// </summary>
    public string TrackingBaseUrl { get; set; } = "";

    /// <summary>Most links one mailing may have for click tracking.</summary>
    [Range(1, 10_000)]
    public int MaxLinks { get; set; } = 500;
}
