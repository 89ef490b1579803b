using System.Security.Cryptography;

namespace Tidings.Users;

/// <summary>Passwords the server makes up for a new user, to be replaced at the first sign-in.</summary>
internal static class OneTimePasswords
{
    // No 0/O, 1/l/I: the password is read off a terminal and typed in by hand.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>20 characters from 55: about 115 bits.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 20);
}
