using Telephony.Media.Recording;

namespace Telephony.Media.Tests.Recording;

/// <summary>
/// The entry point of this test assembly when run as a program: <c>dotnet Telephony.Media.Tests.dll
/// record PATH</c> records a synthetic caller in real time (20 ms frames, system clock) and prints the
/// samples written after each frame, until it is killed. The crash test kills it with SIGKILL.
/// </summary>
public static class RecordingProcess
{
    public static int Main(string[] args)
    {
        if (args is not ["record", var path]) { Console.Error.WriteLine("usage: record PATH"); return 2; }
        using var recorder = new CallRecorder(path, 8000, TimeProvider.System);
        var frame = new short[160];
        long written = 0;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            for (int i = 0; i < frame.Length; i++) frame[i] = CrashSignal(written + i);
            recorder.Write(frame);
            written += frame.Length;
            Console.Out.WriteLine(written);
            Console.Out.Flush();
            // Pace at real time: frame n is due at n × 20 ms.
            var due = TimeSpan.FromMilliseconds(written / 8.0);
            var wait = due - TimeProvider.System.GetElapsedTime(started);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        }
    }

    /// <summary>The recorded signal, a function of the sample index so the test can check what survived.</summary>
    public static short CrashSignal(long n) => (short)(9000 * Math.Sin(n * 0.031) + 3000 * Math.Sin(n * 0.0071));
}
