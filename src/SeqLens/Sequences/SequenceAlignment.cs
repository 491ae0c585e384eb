namespace SeqLens.Sequences;

/// <summary>Where a sequence sits when <see cref="OneHot"/> pads or crops it to a fixed length.</summary>
public enum SequenceAlignment
{
    /// <summary>Keep the start: crop the end, or pad (all-zero columns) after the sequence.</summary>
    Start,

    /// <summary>Keep the centre: crop or pad both ends equally; an odd remainder goes to the end.</summary>
    Center,
}
