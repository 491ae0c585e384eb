using SeqLens.Graphs;

namespace SeqLens.Training;

/// <summary>
/// Named one-hot sequences <c>X (N, 4, L)</c> with optional labels <c>Y (N, T)</c> for training and prediction; the
/// FASTA loaders are in <c>SequenceDataset.Fasta.cs</c>.
/// </summary>
/// <param name="Names">Record ids, in file order.</param>
/// <param name="X">One-hot sequences <c>(N, 4, L)</c>.</param>
/// <param name="Y">Labels <c>(N, T)</c>, or null.</param>
/// <param name="TaskNames">Names of the label columns (empty without labels).</param>
public sealed partial record SequenceDataset(IReadOnlyList<string> Names, Tensor X, Tensor? Y, IReadOnlyList<string> TaskNames)
{
    /// <summary>Number of sequences.</summary>
    public int Count => Names.Count;

    /// <summary>The rows <paramref name="rows"/>, in that order.</summary>
    public SequenceDataset Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = Count;
        int xRow = n == 0 ? 0 : X.Length / n;
        var x = new Tensor([rows.Count, .. X.Shape[1..]]);
        Tensor? y = Y is null ? null : new Tensor([rows.Count, .. Y.Shape[1..]]);
        int yRow = Y is null || n == 0 ? 0 : Y.Length / n;
        for (int i = 0; i < rows.Count; i++)
        {
            Array.Copy(X.Data, rows[i] * xRow, x.Data, i * xRow, xRow);
            if (y is not null)
            {
                Array.Copy(Y!.Data, rows[i] * yRow, y.Data, i * yRow, yRow);
            }
        }

        return new SequenceDataset(rows.Select(r => Names[r]).ToArray(), x, y, TaskNames);
    }

    /// <summary>
    /// A seeded split into training and validation sets: <c>round(N·fraction)</c> rows (at least one when the fraction
    /// is positive and there are at least two rows; never all of them) chosen by a shuffle of <c>Rng.For(seed, ...)</c> go to validation; both keep file order.
    /// </summary>
    public (SequenceDataset Train, SequenceDataset Validation) Split(double validationFraction, long seed)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in [0, 1).");
        }

        int valid = validationFraction == 0 || Count < 2 ? 0 : Math.Clamp((int)Math.Round(Count * validationFraction), 1, Count - 1);
        int[] order = Enumerable.Range(0, Count).ToArray();
        Rng.For(seed, 0x5B11, Count).Shuffle(order.AsSpan());
        int[] validRows = order[..valid];
        int[] trainRows = order[valid..];
        Array.Sort(validRows);
        Array.Sort(trainRows);
        return (Subset(trainRows), Subset(validRows));
    }

    /// <summary>The sequence length <c>L</c> of a model whose single input is one-hot DNA <c>(4, L)</c>; throws otherwise.</summary>
    public static int SequenceLength(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int[] shape = graph.Inputs[0].SampleShape;
        if (graph.Inputs.Count != 1 || shape.Length != 2 || shape[0] != 4)
        {
            throw new ArgumentException($"The model must take one DNA input of shape (4, length); input '{graph.Inputs[0].Name}' has {Tensor.FormatShape(shape)}.");
        }

        return shape[1];
    }
}
