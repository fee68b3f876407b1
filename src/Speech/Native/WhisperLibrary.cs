using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Telephony.Speech.Native;

/// <summary>
/// Finds <c>libwhisper.so</c> (built by scripts/setup.d/30-whisper.sh into <c>.cache/whisper.cpp-1.9.1/lib</c>)
/// and routes whisper.cpp's log lines to an <see cref="ILogger"/>. Search order: <c>$TELEPHONY_WHISPER_LIB</c>
/// (the library file or its folder), then the repository's cache folder above the running binaries.
/// </summary>
public static unsafe class WhisperLibrary
{
    public const string Version = "1.9.1";
    public const string SetupHint = "run ./hotline setup (scripts/setup.d/30-whisper.sh builds whisper.cpp " + Version + " into .cache/whisper.cpp-" + Version + ")";

    private static readonly Lock Gate = new();
    private static string? _path;
    private static bool _resolverSet;
    private static ILogger? _logger;

    /// <summary>The library file in use, or null when it cannot be found.</summary>
    public static string? Path
    {
        get { lock (Gate) return _path ??= Find(); }
    }

    /// <summary>Loads the library (once) and checks its version; throws <see cref="WhisperUnavailableException"/> with what to do.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_resolverSet) return;
            _path ??= Find();
            if (_path is null) throw new WhisperUnavailableException($"libwhisper.so not found: {SetupHint}, or set TELEPHONY_WHISPER_LIB.");
            NativeLibrary.SetDllImportResolver(typeof(WhisperLibrary).Assembly, Resolve);
            _resolverSet = true;
            var version = Marshal.PtrToStringUTF8(WhisperNative.Version());
            if (version != Version)
                throw new WhisperUnavailableException($"{_path} is whisper.cpp {version}; the binding's struct layouts are those of {Version}: {SetupHint}.");
            // Silent by default: whisper.cpp prints a page per model load on stderr.
            WhisperNative.LogSet(&OnLog, 0);
            FixMallocThreshold();
        }
    }

    /// <summary>whisper.cpp's warnings and errors go to this logger (its info lines at Debug).</summary>
    public static void UseLogger(ILogger? logger) => _logger = logger;

    /// <summary>
    /// ggml allocates and frees compute buffers of tens of MB per context and state. glibc raises its mmap
    /// threshold to the size of each freed mmapped block (up to 32 MB), after which those buffers come
    /// from the heap and are never returned: 200 runs with pools made and dropped grew the resident set by
    /// 460 MB (NativeMemoryTests). A fixed threshold (which also turns the adjustment off) keeps them mmapped.
    /// </summary>
    private static void FixMallocThreshold()
    {
        const int M_MMAP_THRESHOLD = -3;
        if (!OperatingSystem.IsLinux()) return;
        try { MallocOptions.Set(M_MMAP_THRESHOLD, 128 * 1024); }
        catch (EntryPointNotFoundException) { } // not glibc (musl): nothing to tune
        catch (DllNotFoundException) { }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == WhisperNative.Library && _path is not null ? NativeLibrary.Load(_path) : 0;

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("TELEPHONY_WHISPER_LIB") is { Length: > 0 } configured)
        {
            var file = Directory.Exists(configured) ? System.IO.Path.Combine(configured, "libwhisper.so") : configured;
            return File.Exists(file) ? System.IO.Path.GetFullPath(file) : null;
        }
        var relative = System.IO.Path.Combine(".cache", "whisper.cpp-" + Version, "lib", "libwhisper.so");
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    [UnmanagedCallersOnly]
    private static void OnLog(int level, nint text, nint userData)
    {
        var logger = _logger;
        if (logger is null || text == 0) return;
        // ggml_log_level: 1 debug, 2 info, 3 warn, 4 error, 5 continuation of the previous line.
        var logLevel = level switch { 3 => LogLevel.Warning, 4 => LogLevel.Error, _ => LogLevel.Debug };
        if (!logger.IsEnabled(logLevel)) return;
        var line = Marshal.PtrToStringUTF8(text)?.TrimEnd();
        if (!string.IsNullOrEmpty(line)) logger.Log(logLevel, "whisper.cpp: {Line}", line);
    }
}

internal static partial class MallocOptions
{
    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);

    public static void Set(int param, int value) => MallOpt(param, value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    /// <summary>Hands freed heap pages of every arena back to the kernel (glibc ≥ 2.8 madvises the middle
    /// of the heap too). A model load makes many small allocations (vocabulary, tensor maps) on whichever
    /// arena its thread uses; once freed they stay resident until trimmed. Once per model freed: cheap.</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { MallocTrim(0); }
        catch (EntryPointNotFoundException) { }
        catch (DllNotFoundException) { }
    }
}

/// <summary>whisper.cpp is not built or is the wrong version; the message says what to run.</summary>
public sealed class WhisperUnavailableException(string message) : Exception(message);
