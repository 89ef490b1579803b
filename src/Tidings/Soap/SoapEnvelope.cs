using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;

namespace Tidings.Soap;

/// <summary>
/// Reads a SOAP 1.1 request: the body within <see cref="SoapOptions.MaxRequestBodyBytes"/>, gzip-decompressed within
/// <see cref="SoapOptions.MaxDecompressedBytes"/> when sent with <c>Content-Encoding: gzip</c>, parsed by an
/// <see cref="XmlReader"/> that refuses DTDs and resolves nothing (no entity expansion, no XXE).
/// </summary>
internal static class SoapEnvelope
{
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    // Reused: the settings are only read. Parsing is synchronous, over the body already in memory (see below).
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersFromEntities = 0,
        CloseInput = false,
    };

    /// <summary>
    /// The call's operation element (the first element of the Body) and its name. The body is read (and
    /// decompressed) asynchronously into memory within the limits, then parsed synchronously: an async
    /// <see cref="XmlReader"/> costs several times the CPU of a synchronous one for the small envelopes of SOAP calls,
    /// and the document is held in memory whole either way.
    /// </summary>
    public static async Task<XElement> ReadOperationAsync(HttpRequest request, SoapOptions options, CancellationToken ct)
    {
        if (request.ContentLength > options.MaxRequestBodyBytes) throw new SoapFaultException("Request body too large");
        var encoding = request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            throw new SoapFaultException($"Unsupported Content-Encoding '{encoding}' (gzip or none)");
        }

        using var xml = new MemoryStream(request.ContentLength is > 0 and < 65536 ? (int)request.ContentLength * (gzip ? 4 : 1) : 4096);
        // Disposed as soon as it is read: a gzip stream left to the finalizer releases its zlib state on the finalizer thread.
        await using (Stream body = gzip
            ? new LimitedStream(new GZipStream(new LimitedStream(request.Body, options.MaxRequestBodyBytes, "Request body too large"), CompressionMode.Decompress),
                options.MaxDecompressedBytes, "Decompressed request body too large")
            : new LimitedStream(request.Body, options.MaxRequestBodyBytes, "Request body too large"))
        {
            try
            {
                await body.CopyToAsync(xml, ct);
            }
            catch (InvalidDataException)
            {
                throw new SoapFaultException("Malformed gzip request body");
            }
        }

        xml.Position = 0;
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(xml, Settings);
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
