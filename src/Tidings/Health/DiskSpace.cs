namespace Tidings.Health;

/// <summary>Free and total bytes of the file system a folder is on.</summary>
internal readonly record struct DiskSpace(long AvailableBytes, long TotalBytes)
{
    public double AvailablePercent => TotalBytes > 0 ? AvailableBytes * 100.0 / TotalBytes : 100;

    /// <summary>
    /// Measures the file system of <paramref name="folder"/>, or of its nearest existing parent (a folder not created
    /// yet will be created there). <see cref="DriveInfo.AvailableFreeSpace"/>: what this user may still write.
    /// </summary>
    public static DiskSpace Of(string folder)
    {
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        var drive = new DriveInfo(existing);
        return new DiskSpace(drive.AvailableFreeSpace, drive.TotalSize);
    }
}
