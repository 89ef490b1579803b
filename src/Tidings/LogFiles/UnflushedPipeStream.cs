using System.Buffers;
using System.IO.Pipelines;

namespace Tidings.LogFiles;

/// <summary>
/// A write-only stream over a response's pipe that only buffers: writes never wait for the client, only
/// <see cref="FlushAsync(CancellationToken)"/> does. An <see cref="System.Xml.XmlWriter"/> empties its own buffer into its
/// stream whenever that fills; over the response's usual stream that would wait for a client that reads nothing in the
/// middle of a chunk, while the download holds its formatting turn (<see cref="DownloadTurns"/>).
/// </summary>
internal sealed class UnflushedPipeStream(PipeWriter pipe) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => pipe.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override async Task FlushAsync(CancellationToken cancellationToken) => await pipe.FlushAsync(cancellationToken);

    /// <summary>Synchronous flushes (none are expected: the writer is asynchronous) leave the bytes for the next asynchronous one.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
