namespace SeqLens.Graphs;

/// <summary>
/// Which batch rows DeepLIFT compares (DESIGN.md §3): row <c>r</c> carries the multipliers of the pair
/// (<see cref="InputRow"/>[r], <see cref="ReferenceRow"/>[r]), i.e. of <c>Δ = v[InputRow[r]] − v[ReferenceRow[r]]</c> at every
/// node; rows with <c>-1</c> carry no multiplier (the backward rules leave them at zero).
/// </summary>
/// <remarks>
/// Two layouts are common. <see cref="Stacked"/>: the batch is <c>[x; x0]</c> and the multipliers live in the input rows.
/// <see cref="Shared"/>: one input row followed by its <c>n</c> references, each reference row carrying the multipliers of
/// its pair — the forward of the input row is computed once for all its references (DeepLIFT-SHAP), and the backward
/// runs on <c>n + 1</c> rows instead of <c>2n</c>.
/// </remarks>
public sealed class RowPairs
{
    /// <summary>Pairs from explicit per-row indices (same length = the batch size; -1 = no multiplier in that row).</summary>
    public RowPairs(int[] inputRow, int[] referenceRow)
    {
        ArgumentNullException.ThrowIfNull(inputRow);
        ArgumentNullException.ThrowIfNull(referenceRow);
        if (inputRow.Length != referenceRow.Length)
        {
            throw new ArgumentException($"RowPairs needs one input and one reference index per row; got {inputRow.Length} and {referenceRow.Length}.");
        }

        for (int r = 0; r < inputRow.Length; r++)
        {
            bool none = inputRow[r] < 0 || referenceRow[r] < 0;
            if (none != (inputRow[r] < 0 && referenceRow[r] < 0) || inputRow[r] >= inputRow.Length || referenceRow[r] >= inputRow.Length)
            {
                throw new ArgumentException($"RowPairs row {r}: input {inputRow[r]} and reference {referenceRow[r]} must both be rows of the batch (0..{inputRow.Length - 1}) or both -1.");
            }
        }

        InputRow = inputRow;
        ReferenceRow = referenceRow;
    }

    /// <summary>Per batch row: the row holding x of its pair, or -1.</summary>
    public int[] InputRow { get; }

    /// <summary>Per batch row: the row holding x0 of its pair, or -1.</summary>
    public int[] ReferenceRow { get; }

    /// <summary>Number of batch rows.</summary>
    public int BatchSize => InputRow.Length;

    /// <summary>True when row <paramref name="row"/> carries a pair.</summary>
    public bool HasPair(int row) => InputRow[row] >= 0;

    /// <summary>The batch <c>[x_0..x_{n-1}; x0_0..x0_{n-1}]</c>: row r &lt; n pairs x_r with x0_r (row n + r).</summary>
    public static RowPairs Stacked(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var input = new int[2 * count];
        var reference = new int[2 * count];
        for (int r = 0; r < count; r++)
        {
            input[r] = r;
            reference[r] = count + r;
            input[count + r] = -1;
            reference[count + r] = -1;
        }

        return new RowPairs(input, reference);
    }

    /// <summary>
    /// The batch <c>[x_0..x_{b-1}; refs of x_0 (n rows); refs of x_1; ...]</c>: reference row <c>b + i·n + j</c> carries the
    /// multipliers of the pair (x_i, its j-th reference); input rows carry none.
    /// </summary>
    public static RowPairs Shared(int inputs, int referencesPerInput)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referencesPerInput);
        int rows = inputs * (referencesPerInput + 1);
        var input = new int[rows];
        var reference = new int[rows];
        Array.Fill(input, -1, 0, inputs);
        Array.Fill(reference, -1, 0, inputs);
        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < referencesPerInput; j++)
            {
                int r = inputs + (i * referencesPerInput) + j;
                input[r] = i;
                reference[r] = r;
            }
        }

        return new RowPairs(input, reference);
    }
}
