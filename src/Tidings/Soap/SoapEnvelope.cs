using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;

namespace Tidings.Soap;

/// <summary>
/// Reads a SOAP 1.1 request: the body within <see cref="SoapOptions.MaxRequestBodyBytes"/>, gzip-decompressed within
/// <see cref="SoapOptions.MaxDecompressedBytes"/> when sent with <c>Content-Encoding: gzip</c>, parsed by an
/// <see cref="XmlReader"/> that refuses DTDs and resolves nothing (no entity expansion, no XXE), nested at most
/// <see cref="MaxDepth"/> elements deep.
/// </summary>
internal static class SoapEnvelope
{
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>
    /// The deepest element nesting accepted. Copernica's deepest input (Envelope, Body, method, parameters,
    /// requirements, item, value) is 7 levels; more is no call, and very deep documents cost time to build.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>The call's operation element (the first element of the Body) and its name.</summary>
    public static async Task<XElement> ReadOperationAsync(HttpRequest request, SoapOptions options, CancellationToken ct)
    {
        if (request.ContentLength > options.MaxRequestBodyBytes) throw new SoapFaultException("Request body too large");
        var encoding = request.Headers.ContentEncoding.ToString();
        Stream body = new LimitedStream(request.Body, options.MaxRequestBodyBytes, "Request body too large");
        if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new LimitedStream(new GZipStream(body, CompressionMode.Decompress), options.MaxDecompressedBytes, "Decompressed request body too large");
        }
        else if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            throw new SoapFaultException($"Unsupported Content-Encoding '{encoding}' (gzip or none)");
        }

        // Read asynchronously into memory first (within the limits above): XmlReader reads its input synchronously,
        // which the server refuses on a request body.
        using var buffer = new MemoryStream();
        try
        {
            await using (body) await body.CopyToAsync(buffer, ct);
        }
        catch (InvalidDataException)
        {
            throw new SoapFaultException("Malformed gzip request body");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersFromEntities = 0,
        };
        XDocument document;
        try
        {
            buffer.Position = 0;
            using var reader = new DepthLimitedXmlReader(XmlReader.Create(buffer, settings), MaxDepth);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            throw new SoapFaultException("Malformed XML: " + ex.Message);
        }

        var envelope = document.Root;
        if (envelope is null || envelope.Name != Soap + "Envelope") throw new SoapFaultException("Not a SOAP 1.1 Envelope (expected {" + Soap.NamespaceName + "}Envelope)");
        var soapBody = envelope.Element(Soap + "Body") ?? throw new SoapFaultException("The Envelope has no Body");
        return soapBody.Elements().FirstOrDefault() ?? throw new SoapFaultException("The Body names no method");
    }

    /// <summary>A read-only stream that faults once more than <paramref name="limit"/> bytes came through.</summary>
    private sealed class LimitedStream(Stream inner, long limit, string message) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Counted(int n)
        {
            _read += n;
            if (_read > limit) throw new SoapFaultException(message);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && inner is GZipStream) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
