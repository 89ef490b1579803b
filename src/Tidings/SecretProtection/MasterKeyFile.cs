namespace Tidings.SecretProtection;

/// <summary>
/// The master key file: base64 of 32 random bytes on one line, so an operator can also make one with
/// <c>openssl rand -base64 32</c> and copy it to every node.
/// </summary>
internal static class MasterKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersAny = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The key in <paramref name="path"/>, or null when there is no such file.</summary>
    public static MasterKey? Read(string path, ILogger logger)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        var key = MasterKey.TryDecode(text)
            ?? throw new InvalidOperationException($"The master key file {path} must hold base64 of exactly {MasterKey.Bytes} bytes (e.g. from: openssl rand -base64 32).");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersAny) != 0)
        {
            logger.MasterKeyFileOpenToOthers(path);
        }

        return new MasterKey(MasterKey.DerivedId(key), key);
    }

    /// <summary>
    /// Writes a new random key to <paramref name="path"/> (owner read/write only) unless the file exists; returns the
    /// key in the file and whether it was created now. Written aside and renamed into place, so a second process starting
    /// at the same moment reads either no file or a whole one, and never replaces a key already there.
    /// </summary>
    public static (MasterKey Key, bool Created) ReadOrCreate(string path, ILogger logger)
    {
        if (Read(path, logger) is { } existing) return (existing, false);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(MasterKey.Bytes);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.WriteLine(Convert.ToBase64String(key));
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return (Read(path, logger)!, false);
            }

            return (new MasterKey(MasterKey.DerivedId(key), key), true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
