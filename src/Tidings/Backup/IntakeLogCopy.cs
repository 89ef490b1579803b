using Tidings.Events.Intake;

namespace Tidings.Backup;

/// <summary>
/// Copies the intake log while the server appends to it and deletes what the journal has consumed. Segments are copied
/// in order, the last one up to its last whole record (a batch being written is left out: it was not yet acknowledged
/// when the copy began). A segment deleted before it could be opened was consumed, so its events are in the database,
/// which is copied after the log: every event acknowledged before the copy began is in the database or in this copy.
/// </summary>
internal static class IntakeLogCopy
{
    public sealed record Result(int Segments, long Bytes);

    public static Result Run(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        if (!Directory.Exists(source)) return new Result(0, 0);
        var segments = Directory.EnumerateFiles(source, "*" + IntakeSegments.Extension).Order(StringComparer.Ordinal).ToList();
        int copied = 0;
        long bytes = 0;
        foreach (var segment in segments)
        {
            FileStream input;
            try
            {
                input = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                continue; // consumed and deleted since it was listed
            }

            using (input)
            {
                var target = Path.Combine(destination, Path.GetFileName(segment));
                var length = input.Length; // what was written when the copy began; later appends are left out
                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.ReadWrite))
                {
                    CopyPrefix(input, output, length);
                    var intact = IntakeSegments.IntactLength(output.SafeFileHandle, output.Length);
                    output.SetLength(intact);
                    output.Flush(flushToDisk: true);
                    bytes += intact;
                }

                copied++;
            }
        }

        return new Result(copied, bytes);
    }

    private static void CopyPrefix(FileStream input, FileStream output, long length)
    {
        var buffer = new byte[1 << 20];
        long done = 0;
        while (done < length)
        {
            var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, length - done));
            if (n == 0) break;
            output.Write(buffer, 0, n);
            done += n;
        }

        output.Flush();
    }
}
