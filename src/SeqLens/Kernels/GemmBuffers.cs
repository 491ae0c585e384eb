using System.Runtime.InteropServices;

namespace SeqLens.Kernels;

/// <summary>
/// Per-thread pack buffers of the GEMM, allocated once per thread (pinned, 64-byte aligned) and reused,
/// so the kernels do not allocate in steady state.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    /// <summary>Depth of a k block. Fixed for every problem and thread count: it fixes the summation order.</summary>
    public const int Kc = 384;

    /// <summary>Rows of the C panel of <see cref="GemmDriver.RunPanels"/> (a multiple of every micro-kernel's mr: 14, 6 and 4).</summary>
    public const int Mc = 168;

    /// <summary>
    /// Most rows of a packed A block in <see cref="GemmDriver.Run"/> (a multiple of 14, 6 and 4; 504 KiB at
    /// <see cref="Kc"/>, half of this machine's 1 MiB L2 per core; sizes tuned by measurement). The driver spreads M
    /// evenly over as few blocks as fit, so each packed B sliver is streamed once per block and no block is a short
    /// remainder.
    /// </summary>
    public const int MaxMc = 336;

    /// <summary>Columns of a packed B panel (a multiple of every micro-kernel's nr: 32, 16, 4).</summary>
    public const int Nc = 2048;

    /// <summary>Largest register tile (rows × columns) of any path.</summary>
    public const int MaxTile = 14 * 32;

    private const int Slack = 16;

    [ThreadStatic]
    private static GemmBuffers? _current;

    private readonly float[] _storage;
    private float[]? _panelStorage;

    private GemmBuffers()
    {
        int aLength = MaxMc * Kc;
        int bLength = Nc * Kc;
        // NOTE: Slack after each buffer: 8-wide transposing packs may spill up to 7 floats past a sliver's end.
        _storage = GC.AllocateUninitializedArray<float>(aLength + bLength + MaxTile + (3 * Slack) + 16, pinned: true);
        float* start = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(_storage, 0);
        float* aligned = (float*)(((nint)start + 63) & ~(nint)63);
        PackA = aligned;
        PackB = aligned + aLength + Slack;
        Tile = PackB + bLength + Slack;
    }

    /// <summary>Packed A block, up to <see cref="MaxMc"/> × <see cref="Kc"/>.</summary>
    public float* PackA { get; }

    /// <summary>Packed B panel, <see cref="Kc"/> × <see cref="Nc"/>.</summary>
    public float* PackB { get; }

    /// <summary>Scratch for one register tile whose C columns are not contiguous.</summary>
    public float* Tile { get; }

    /// <summary>Row stride of <see cref="Panel"/>: Nc plus one cache line, so tile rows do not all map to one L1 set.</summary>
    public const int PanelStride = Nc + 16;

    /// <summary>
    /// A whole C panel, <see cref="Mc"/> × <see cref="Nc"/> (row stride <see cref="PanelStride"/>), for GEMMs that keep C
    /// until the last k block (<see cref="GemmDriver.RunPanels"/>). Allocated on first use.
    /// </summary>
    public float* Panel
    {
        get
        {
            _panelStorage ??= GC.AllocateUninitializedArray<float>((Mc * PanelStride) + 16 + Slack, pinned: true);
            float* start = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(_panelStorage, 0);
            return (float*)(((nint)start + 63) & ~(nint)63);
        }
    }

    /// <summary>This thread's buffers.</summary>
    public static GemmBuffers ForThread() => _current ??= new GemmBuffers();
}
