using System.Net.Mail;

namespace Tidings.Users;

/// <summary>A user's e-mail address as it is stored and compared: trimmed, lower-cased, one address.</summary>
internal static class EmailAddresses
{
    public const int MaxLength = 254;

    public static bool TryNormalise(string? text, out string email)
    {
        email = "";
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxLength) return false;
        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || parsed.DisplayName.Length > 0) return false;
        email = trimmed.ToLowerInvariant();
        return true;
    }
}
