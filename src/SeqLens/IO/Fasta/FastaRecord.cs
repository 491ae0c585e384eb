namespace SeqLens.IO.Fasta;

/// <summary>One FASTA record: the header split into <see cref="Id"/> (up to the first space or tab) and
/// <see cref="Description"/> (the rest, leading whitespace removed), and the sequence exactly as in the file
/// (case kept, so soft-masked lowercase and IUPAC codes survive; line breaks removed).</summary>
public sealed record FastaRecord(string Id, string Description, string Sequence)
{
    /// <summary>The header line without '&gt;': <c>Id</c>, or <c>Id + " " + Description</c>.</summary>
    public string Header => Description.Length == 0 ? Id : Id + " " + Description;

    /// <summary>Sequence length in bases.</summary>
    public int Length => Sequence.Length;

    /// <summary>Splits a header (without '&gt;') into id and description.</summary>
    public static (string Id, string Description) SplitHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        int ws = header.AsSpan().IndexOfAny(' ', '\t');
        return ws < 0 ? (header, string.Empty) : (header[..ws], header[(ws + 1)..].TrimStart(' ', '\t'));
    }
}
