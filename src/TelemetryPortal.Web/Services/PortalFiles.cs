using System.Runtime.InteropServices;

namespace TelemetryPortal.Web.Services;

/// <summary>
/// Files the portal creates are readable only by its own user: the database and its WAL and shared-memory
/// files hold e-mail addresses and the full payloads, like the key files beside them.
/// </summary>
public static class PortalFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Sets the process's file-creation mask to 077 (no access for group and others) on Unix.</summary>
    public static void RestrictToOwner()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111);
        }
    }

    /// <summary>Makes <paramref name="directory"/> and the files directly in it owner-only (they may predate the mask).</summary>
    public static void Secure(string directory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return;
        }

        File.SetUnixFileMode(directory, OwnerOnlyDirectory);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if ((File.GetUnixFileMode(file) & ~OwnerOnlyFile) != 0)
            {
                File.SetUnixFileMode(file, File.GetUnixFileMode(file) & OwnerOnlyFile);
            }
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for this one call.
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint Umask(uint mask);
#pragma warning restore SYSLIB1054
}
