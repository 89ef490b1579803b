namespace Tidings.Journal;

/// <summary>The <c>type</c> values of journal records.</summary>
internal static class EventTypes
{
    public const string Attempt = "attempt";
    public const string Delivery = "delivery";
    public const string Bounce = "bounce";
    public const string Failure = "failure";
    public const string Retry = "retry";
    public const string Open = "open";
    public const string Click = "click";
    public const string Unsubscribe = "unsubscribe";
    public const string ProfileCreate = "profile.create";
    public const string ProfileUpdate = "profile.update";
    public const string ProfileDelete = "profile.delete";
    public const string SubprofileCreate = "subprofile.create";
    public const string SubprofileUpdate = "subprofile.update";
    public const string SubprofileDelete = "subprofile.delete";

    /// <summary>Events about a message sent to a destination (they carry mailing, destination and message id).</summary>
    public static readonly IReadOnlyList<string> MailingEvents = [Attempt, Delivery, Bounce, Failure, Retry, Open, Click, Unsubscribe];
}
