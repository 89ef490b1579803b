using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Tidings.Dashboard;

/// <summary>
/// Tells Data Protection that its keys are encrypted at rest: <see cref="DataProtectionKeyRepository"/> encrypts each
/// key's whole XML with the master key before storing it, so this step only marks the key element (and Data Protection
/// does not warn that keys may be stored unencrypted). The stored XML names <see cref="RowEncryptedKeyReader"/> by type:
/// renaming it makes existing keys unreadable (every sign-in then ends once).
/// </summary>
internal sealed class RowEncryptedKeys : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement("encryptedByRow", plaintextElement), typeof(RowEncryptedKeyReader));
}

/// <summary>Reads a key element marked by <see cref="RowEncryptedKeys"/> (already decrypted by the repository).</summary>
internal sealed class RowEncryptedKeyReader : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => encryptedElement.Elements().Single();
}
