namespace SeqLens.Datasets;

/// <summary>Which part of a dataset an example belongs to.</summary>
public enum DatasetSplit
{
    Train,
    Valid,
    Test,
}
