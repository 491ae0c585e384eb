namespace SeqLens.Datasets;

/// <summary>How a dataset gets its negative examples.</summary>
public enum NegativeKind
{
    /// <summary>No negatives (multi-task data where other tasks' peaks serve as negatives).</summary>
    None,

    /// <summary>Genome windows that overlap no positive window, sampled so their GC histogram matches the positives'.</summary>
    GcMatched,

    /// <summary>Dinucleotide shuffles of the positives (SeqLens.Sequences.DinucleotideShuffle), same split as their source.</summary>
    Shuffle,
}
