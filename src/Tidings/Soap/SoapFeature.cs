using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Tidings.Rejections;
using Tidings.Rest;

namespace Tidings.Soap;

/// <summary>
/// The SOAP API: the WSDL at <c>GET /?SOAPAPI=WSDL</c> (and <c>/?wsdl</c>) and SOAP 1.1 calls at <c>POST /</c>,
/// answered by the same feature services as REST. Every error is a SOAP 1.1 Fault with HTTP 500.
/// </summary>
internal static class SoapFeature
{
    public static WebApplicationBuilder AddSoap(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SoapOptions>().BindConfiguration(SoapOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero && o.SessionMaxAge > TimeSpan.Zero, "Soap:SessionIdleTimeout and Soap:SessionMaxAge must be positive")
            .ValidateOnStart();
        return builder;
    }

    public static WebApplication MapSoap(this WebApplication app)
    {
        // The WSDL shares the root with the dashboard and docs redirect (ApiDocs): a GET of / with this query is the WSDL.
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/" && AsksForWsdl(context.Request))
            {
                await WriteWsdlAsync(context);
                return;
            }

            await next();
        });
        app.MapPost("/", CallAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary><c>?wsdl</c> or <c>?SOAPAPI=WSDL</c>, in any case.</summary>
    private static bool AsksForWsdl(HttpRequest request) =>
        request.Query.Keys.Any(k => k.Equals("wsdl", StringComparison.OrdinalIgnoreCase)) ||
        request.Query.Any(q => q.Key.Equals("SOAPAPI", StringComparison.OrdinalIgnoreCase) && q.Value.ToString().Equals("WSDL", StringComparison.OrdinalIgnoreCase));

    /// <summary>The endpoint address: <c>Rest:PublicBaseUrl</c> when set, else the request's own scheme and host (forwarded ones applied by the trusted-proxy middleware).</summary>
    private static string Address(HttpContext context) => context.PublicBase() + "/";

    private static async Task WriteWsdlAsync(HttpContext context)
    {
        var (xml, etag) = SoapWsdl.Render(Address(context));
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "public, max-age=3600";
        response.Headers.Vary = "Host, X-Forwarded-Host, X-Forwarded-Proto";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && (v.Contains(etag, StringComparison.Ordinal) || v.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = "text/xml; charset=utf-8";
        await response.WriteAsync(xml, Encoding.UTF8, context.RequestAborted);
    }

    private static async Task CallAsync(HttpContext context, IOptions<SoapOptions> options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Tidings.Soap");
        var methodName = "?";
        try
        {
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = options.Value.MaxRequestBodyBytes + 1;
            }

            var operation = await SoapEnvelope.ReadOperationAsync(context.Request, options.Value, context.RequestAborted);
            methodName = operation.Name.LocalName;
            var method = SoapMethods.Find(methodName) ?? throw new SoapFaultException($"Unknown method '{methodName}'");
            var parameters = SoapParameters.Of(operation);
            XElement result;
            if (method == SoapAuthentication.Login)
            {
                result = await SoapAuthentication.LogInAsync(context, parameters);
            }
            else
            {
                var caller = await SoapAuthentication.AuthenticateAsync(context, parameters);
                if (method.Writes && !caller.CanWrite) throw new SoapFaultException($"{CopernicaErrors.ReadOnlyToken}: {method.Name} changes data");
                result = await method.Run(new SoapCall(caller, parameters, context.RequestServices, context.RequestAborted));
            }

            await WriteAsync(context, StatusCodes.Status200OK, new XElement(XName.Get(method.Name + "Response", SoapWsdl.Namespace), result));
        }
        catch (SoapFaultException ex) when (!context.Response.HasStarted)
        {
            logger.Refused(ex.Message);
            await WriteFaultAsync(context, ex.IsClient, ex.Message);
        }
        catch (ApiCallRefusedException ex) when (!context.Response.HasStarted)
        {
            await WriteFaultAsync(context, client: true, ex.Message, ex.RetryAfterSeconds);
        }
        catch (RequestRejectedException ex) when (!context.Response.HasStarted)
        {
            await WriteFaultAsync(context, client: true, ex.Message);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            logger.Refused(ex.Message);
            await WriteFaultAsync(context, client: true, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : ex.Message);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.UnexpectedError(ex, methodName);
            await WriteFaultAsync(context, client: false, "Internal server error");
        }
    }

    private static Task WriteFaultAsync(HttpContext context, bool client, string message, int? retryAfterSeconds = null) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError, new XElement(SoapEnvelope.Soap + "Fault",
            new XElement("faultcode", client ? "SOAP-ENV:Client" : "SOAP-ENV:Server"),
            new XElement("faultstring", XmlText(message))), retryAfterSeconds);

    /// <summary>
    /// <paramref name="text"/> with every character XML 1.0 cannot carry replaced by U+FFFD: a parser's message quotes
    /// the offending character (a control character, a lone surrogate), and the Fault must still be well-formed XML.
    /// </summary>
    private static string XmlText(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) result.Append(text[i]);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) result.Append(text, i++, 2);
            else result.Append('\uFFFD');
        }

        return result.ToString();
    }

    // Reused: the settings are only read.
    private static readonly XmlWriterSettings WriterSettings = new() { Encoding = new UTF8Encoding(false), CloseOutput = false };

    /// <summary>
    /// An Envelope around <paramref name="content"/>; gzip-compressed when the client accepts it. Written synchronously
    /// into memory (an async <see cref="XmlWriter"/> costs far more CPU for no gain there), then sent with its length.
    /// </summary>
    private static async Task WriteAsync(HttpContext context, int status, XElement content, int? retryAfterSeconds = null)
    {
        var envelope = new XElement(SoapEnvelope.Soap + "Envelope",
            new XAttribute(XNamespace.Xmlns + "SOAP-ENV", SoapEnvelope.Soap.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "ns1", SoapWsdl.Namespace),
            new XElement(SoapEnvelope.Soap + "Body", content));
        var response = context.Response;
        // A failed call sends nothing it may have set before failing (such as a cookie).
        if (status != StatusCodes.Status200OK) response.Clear();
        if (retryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.StatusCode = status;
        response.ContentType = "text/xml; charset=utf-8";
        var gzip = context.Request.Headers.AcceptEncoding.Any(v => v?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true);
        using var buffer = new MemoryStream();
        using (var compressor = gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : null)
        using (var writer = XmlWriter.Create(compressor ?? (Stream)buffer, WriterSettings))
        {
            new XDocument(envelope).Save(writer);
        }

        if (gzip) response.Headers.ContentEncoding = "gzip";
        response.Headers.Vary = "Accept-Encoding";
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }
}
