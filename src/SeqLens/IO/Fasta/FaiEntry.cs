namespace SeqLens.IO.Fasta;

/// <summary>One line of a samtools <c>.fai</c> index: sequence name, length in bases, byte offset of the first
/// base (in the uncompressed file), bases per line and bytes per line (bases plus the line terminator).</summary>
public sealed record FaiEntry(string Name, long Length, long Offset, int LineBases, int LineWidth)
{
    /// <summary>Byte offset (uncompressed) of 0-based position <paramref name="position"/> of this sequence.</summary>
    public long OffsetOf(long position)
        => LineBases == 0 ? Offset : Offset + (position / LineBases * LineWidth) + (position % LineBases);
}
