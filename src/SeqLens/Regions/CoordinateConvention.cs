namespace SeqLens.Regions;

/// <summary>How the numbers of a <c>chr:start-end</c> sequence header are read.</summary>
public enum CoordinateConvention
{
    /// <summary>
    /// Decided per record from the sequence length: 1-based closed when <c>end - start + 1</c> equals it (samtools),
    /// 0-based half-open when <c>end - start</c> does (bedtools getfasta); the two never both match.
    /// </summary>
    Auto = 0,

    /// <summary>1-based closed, as samtools faidx regions: <c>chr1:11-20</c> is 10 bases, 0-based [10, 20).</summary>
    OneBasedClosed = 1,

    /// <summary>0-based half-open, as bedtools getfasta writes headers: <c>chr1:10-20</c> is 0-based [10, 20).</summary>
    ZeroBasedHalfOpen = 2,
}
