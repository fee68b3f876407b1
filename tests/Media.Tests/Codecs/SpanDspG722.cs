using System.Runtime.InteropServices;

namespace Telephony.Media.Tests.Codecs;

/// <summary>
/// spandsp's G.722 (libspandsp2, which baresip's g722 module uses) as an independent implementation to check
/// ours against bit for bit: what baresip sends and decodes is what this produces.
/// </summary>
internal static unsafe partial class SpanDspG722
{
    private const string Library = "libspandsp.so.2";

    [LibraryImport(Library, EntryPoint = "g722_encode_init")]
    private static partial IntPtr EncodeInit(IntPtr state, int rate, int options);

    [LibraryImport(Library, EntryPoint = "g722_encode")]
    private static partial int Encode(IntPtr state, byte* g722, short* amp, int length);

    [LibraryImport(Library, EntryPoint = "g722_encode_free")]
    private static partial int EncodeFree(IntPtr state);

    [LibraryImport(Library, EntryPoint = "g722_decode_init")]
    private static partial IntPtr DecodeInit(IntPtr state, int rate, int options);

    [LibraryImport(Library, EntryPoint = "g722_decode")]
    private static partial int Decode(IntPtr state, short* amp, byte* g722, int length);

    [LibraryImport(Library, EntryPoint = "g722_decode_free")]
    private static partial int DecodeFree(IntPtr state);

    public static void Require()
    {
        if (!NativeLibrary.TryLoad(Library, out var handle))
            Assert.Fail($"{Library} is not installed: run ./hotline setup (or apt-get install libspandsp2, which baresip pulls in).");
        NativeLibrary.Free(handle);
    }

    public static byte[] EncodeAll(short[] pcm)
    {
        Require();
        var output = new byte[pcm.Length / 2];
        var state = EncodeInit(IntPtr.Zero, 64000, 0);
        try
        {
            fixed (short* p = pcm)
            fixed (byte* o = output)
                Encode(state, o, p, pcm.Length);
        }
        finally { EncodeFree(state); }
        return output;
    }

    public static short[] DecodeAll(byte[] g722)
    {
        Require();
        var output = new short[g722.Length * 2];
        var state = DecodeInit(IntPtr.Zero, 64000, 0);
        try
        {
            fixed (byte* p = g722)
            fixed (short* o = output)
                Decode(state, o, p, g722.Length);
        }
        finally { DecodeFree(state); }
        return output;
    }
}
