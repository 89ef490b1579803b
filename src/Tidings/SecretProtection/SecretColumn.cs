namespace Tidings.SecretProtection;

/// <summary>
/// A database column whose values are secrets, encrypted by <see cref="ISecretProtector"/> with <see cref="Purpose"/>
/// and their row's <c>id</c>. Features register theirs (<see cref="SecretProtectionFeature.AddSecretColumn"/>) so that
/// the start-up pass and <c>secrets reencrypt</c> find every one. The table's key is <c>id</c>.
/// </summary>
/// <param name="Binary">A BLOB/BYTEA column (the stored form is then the ASCII bytes of the text form).</param>
internal sealed record SecretColumn(string Table, string Column, bool Binary = false)
{
    /// <summary>The column the ciphertext is bound to, e.g. <c>webhook_secrets.secret</c>.</summary>
    public string Purpose => $"{Table}.{Column}";
}
