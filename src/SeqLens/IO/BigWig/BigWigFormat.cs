namespace SeqLens.IO.BigWig;

/// <summary>Constants of the UCSC bigWig format (Kent et al., Bioinformatics 2010; kent/src/inc/bbiFile.h, bwgInternal.h).</summary>
internal static class BigWigFormat
{
    public const uint Magic = 0x888FFC26;
    public const uint ChromTreeMagic = 0x78CA8C91;
    public const uint RTreeMagic = 0x2468ACE0;
    public const int HeaderSize = 64;
    public const int ZoomHeaderSize = 24;
    public const int SummarySize = 40;
    public const int RTreeHeaderSize = 48;
    public const int DataHeaderSize = 24;
    public const int ZoomRecordSize = 32;

    /// <summary>Section type codes: bedGraph (start, end, value), varStep (start, value), fixedStep (value).</summary>
    public const byte BedGraphType = 1;
    public const byte VarStepType = 2;
    public const byte FixedStepType = 3;
}
