using Tidings.Rest;
using Tidings.Webhooks.Outbound;
using Tidings.Rejections;

namespace Tidings.Webhooks.Domains;

/// <summary>
/// Handlers that could never be validated, and so would never be called, are refused when a webhook is created or
/// its handler changed, instead of being stored to wait for ever.
/// </summary>
internal static class HandlerRules
{
    /// <summary>Why a webhook with this handler could never be validated under the current settings; null when it can.</summary>
    public static string? WhyNeverValidated(string handler, bool allowLoopback)
    {
        if (!Uri.TryCreate(handler, UriKind.Absolute, out var uri)) return null; // the URL checks say what is wrong
        if (LoopbackHosts.Normalize(uri.Host) is not null)
        {
            return allowLoopback
                ? null
                : $"The handler's host '{uri.Host}' is this machine (loopback), which can never be validated: webhooks go to localhost, 127.0.0.0/8 or ::1 only in development, with the setting {WebhookDevelopmentOptions.AllowLoopbackSetting}=true";
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return $"The handler's host '{uri.Host}' is an IP address, which can never be validated: use a host name under a domain of the account (POST domains)";
        }

        return null;
    }

    /// <summary>Throws a <see cref="RequestRejectedException"/> (400) when <see cref="WhyNeverValidated"/> has a reason.</summary>
    public static void Require(string handler, bool allowLoopback)
    {
        if (WhyNeverValidated(handler, allowLoopback) is { } why) throw new RequestRejectedException(why);
    }
}
