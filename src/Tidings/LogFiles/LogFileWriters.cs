using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Tidings.LogFiles;

/// <summary>Writes log file rows in one format straight to the response, buffering only until the next flush.</summary>
internal abstract class LogFileWriter : IAsyncDisposable
{
    /// <summary>Bytes written since the last flush (an estimate where the format cannot tell).</summary>
    public abstract long Unflushed { get; }

    public abstract ValueTask BeginAsync(IReadOnlyList<LogColumn> columns, CancellationToken cancellationToken);

    public abstract ValueTask WriteRowAsync(IReadOnlyList<LogColumn> columns, LogValue[] values, CancellationToken cancellationToken);

    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    public abstract ValueTask EndAsync(CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public static LogFileWriter Create(string format, HttpResponse response, bool csvHeader) => format switch
    {
        "csv" => new CsvLogFileWriter(response.BodyWriter, csvHeader),
        "json" => new JsonLogFileWriter(response.BodyWriter),
        _ => new XmlLogFileWriter(new UnflushedPipeStream(response.BodyWriter)),
    };

    public static string ContentType(string format) => format switch
    {
        "csv" => "text/csv",
        "json" => "application/json",
        _ => "application/xml",
    };
}

/// <summary>CSV per RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted.</summary>
internal sealed class CsvLogFileWriter(PipeWriter pipe, bool header) : LogFileWriter
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private long _unflushed;

    public override long Unflushed => _unflushed;

    public override ValueTask BeginAsync(IReadOnlyList<LogColumn> columns, CancellationToken cancellationToken)
    {
        if (!header) return ValueTask.CompletedTask;
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) Write(",");
            Field(columns[i].Name);
        }

        Write("\r\n");
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteRowAsync(IReadOnlyList<LogColumn> columns, LogValue[] values, CancellationToken cancellationToken)
    {
        Span<char> number = stackalloc char[24];
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) Write(",");
            var v = values[i];
            if (v.IsNumber)
            {
                v.Number.TryFormat(number, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
                Write(number[..n]);
            }
            else
            {
                Field(v.Text ?? "");
            }
        }

        Write("\r\n");
        return ValueTask.CompletedTask;
    }

    private void Field(string text)
    {
        if (text.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            Write(text);
            return;
        }

        Write("\"");
        var rest = text.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            Write(rest[..(quote + 1)]);
            Write("\"");
            rest = rest[(quote + 1)..];
        }

        Write(rest);
        Write("\"");
    }

    private void Write(ReadOnlySpan<char> text) => _unflushed += Encoding.UTF8.GetBytes(text, pipe);

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await pipe.FlushAsync(cancellationToken);
        _unflushed = 0;
    }

    public override ValueTask EndAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);
}

/// <summary>A JSON array of objects, one per row, keys in column order; integer columns as numbers.</summary>
internal sealed class JsonLogFileWriter(PipeWriter pipe) : LogFileWriter
{
    private readonly Utf8JsonWriter _json = new(pipe, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    public override long Unflushed => _json.BytesPending;

    public override ValueTask BeginAsync(IReadOnlyList<LogColumn> columns, CancellationToken cancellationToken)
    {
        _json.WriteStartArray();
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteRowAsync(IReadOnlyList<LogColumn> columns, LogValue[] values, CancellationToken cancellationToken)
    {
        _json.WriteStartObject();
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v.IsNumber) _json.WriteNumber(columns[i].Name, v.Number);
            else _json.WriteString(columns[i].Name, v.Text);
        }

        _json.WriteEndObject();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        await pipe.FlushAsync(cancellationToken);
    }

    public override ValueTask EndAsync(CancellationToken cancellationToken)
    {
        _json.WriteEndArray();
        return FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary><c>&lt;records&gt;&lt;record&gt;&lt;id&gt;…&lt;/id&gt;…&lt;/record&gt;&lt;/records&gt;</c>, written asynchronously.</summary>
internal sealed class XmlLogFileWriter(Stream stream) : LogFileWriter
{
    private readonly XmlWriter _xml = XmlWriter.Create(stream, new XmlWriterSettings
    {
        Async = true, Encoding = new UTF8Encoding(false), CheckCharacters = false, Indent = false, OmitXmlDeclaration = false,
    });

    private long _unflushed;

    public override long Unflushed => _unflushed;

    public override async ValueTask BeginAsync(IReadOnlyList<LogColumn> columns, CancellationToken cancellationToken)
    {
        await _xml.WriteStartDocumentAsync();
        await _xml.WriteStartElementAsync(null, "records", null);
    }

    public override async ValueTask WriteRowAsync(IReadOnlyList<LogColumn> columns, LogValue[] values, CancellationToken cancellationToken)
    {
        await _xml.WriteStartElementAsync(null, "record", null);
        for (var i = 0; i < values.Length; i++)
        {
            var text = Clean(values[i].ToString());
            await _xml.WriteStartElementAsync(null, columns[i].Name, null);
            await _xml.WriteStringAsync(text);
            await _xml.WriteFullEndElementAsync();
            _unflushed += text.Length + 2 * columns[i].Name.Length + 5;
        }

        await _xml.WriteEndElementAsync();
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _xml.FlushAsync();
        _unflushed = 0;
    }

    public override async ValueTask EndAsync(CancellationToken cancellationToken)
    {
        await _xml.WriteEndElementAsync();
        await _xml.WriteEndDocumentAsync();
        await FlushAsync(cancellationToken);
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control characters, lone surrogates) instead of failing mid-stream.</summary>
    public static string Clean(string text)
    {
        var i = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c)) continue;
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                i++;
                continue;
            }

            break;
        }

        if (i == text.Length) return text;
        var sb = new StringBuilder(text.Length);
        for (var j = 0; j < text.Length; j++)
        {
            var c = text[j];
            if (XmlConvert.IsXmlChar(c)) sb.Append(c);
            else if (j + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[j + 1], c)) sb.Append(c).Append(text[++j]);
        }

        return sb.ToString();
    }

    public override async ValueTask DisposeAsync()
    {
        await _xml.DisposeAsync();
        await base.DisposeAsync();
    }
}
