using System.IO.Compression;
using System.Security;
using System.Text;
using System.Text.Json;

namespace Tidings.Bench;

/// <summary>
/// The request bodies, all built before a timed phase: REST JSON as UTF-8 bytes, SOAP envelopes as PHP's
/// <c>SoapClient</c> writes them for the WSDL (rpc/literal, one <c>parameters</c> part, the token as its
/// <c>access_token</c> member), each gzip-compressed once (<c>SOAP_COMPRESSION_GZIP</c>), so the client spends no CPU on
/// compression while it measures.
/// </summary>
public static class Bodies
{
    private static readonly string[] Cities = ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda", "Nijmegen"];
    private static readonly string[] FirstNames = ["Anna", "Bram", "Chantal", "Daan", "Emma", "Finn", "Guus", "Hanna", "Iris", "Jesse"];
    private static readonly string[] LastNames = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"];

    /// <summary>The email of a pre-created profile (the ones searched for).</summary>
    public static string SearchedEmail(int i) => $"user{i}@example.org";

    /// <summary>The fields of profile <paramref name="i"/>; <paramref name="prefix"/> keeps each phase's creates apart from the searched profiles.</summary>
    public static (string Key, string Value)[] Fields(string prefix, int i)
    {
        var random = new Random(i);
        return
        [
            ("email", $"{prefix}{i}@example.org"),
            ("firstname", FirstNames[random.Next(FirstNames.Length)]),
            ("lastname", LastNames[random.Next(LastNames.Length)]),
            ("city", Cities[random.Next(Cities.Length)]),
            ("age", random.Next(18, 88).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
    }

    public static byte[] RestCreate((string Key, string Value)[] fields) =>
        JsonSerializer.SerializeToUtf8Bytes(new { fields = fields.ToDictionary(f => f.Key, f => f.Value) });

    public static byte[] SoapCreate(string database, (string Key, string Value)[] fields, string token) =>
        Gzip(Envelope("Database_createProfile",
            $"<id>{database}</id><fields>{string.Concat(fields.Select(f => $"<pair><key>{SecurityElement.Escape(f.Key)}</key><value>{SecurityElement.Escape(f.Value)}</value></pair>"))}</fields>",
            token));

    /// <summary>A search on the indexed email field, all properties (fields and interests), as REST's list answers them.</summary>
    public static byte[] SoapSearch(string database, string email, string token) =>
        Gzip(Envelope("Database_searchProfiles",
            $"<id>{database}</id><requirements><fieldname>email</fieldname><value>{SecurityElement.Escape(email)}</value><operator>=</operator></requirements><allproperties>true</allproperties>",
            token));

    /// <summary>PHP SoapClient's envelope for an rpc/literal operation with one part named <c>parameters</c>.</summary>
    public static string Envelope(string method, string members, string token) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"urn:api\"><SOAP-ENV:Body>" +
        $"<ns1:{method}><parameters>{members}<access_token>{SecurityElement.Escape(token)}</access_token></parameters></ns1:{method}>" +
        "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n";

    /// <summary>The envelope gzip-compressed (<c>Content-Encoding: gzip</c>), once per distinct body.</summary>
    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
