using Tidings.Rest;

namespace Tidings.Webhooks.Dispatch;

/// <summary>The delivery answers' times: local <c>YYYY-MM-DD HH:MM:SS</c>, null where there is none.</summary>
internal static class DeliveryAnswerTimes
{
    public static string? FormatMsOrNull(this CopernicaTime time, long? unixMs) => unixMs is { } ms ? time.FormatMs(ms) : null;
}
