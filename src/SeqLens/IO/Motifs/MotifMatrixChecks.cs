using System.Globalization;

namespace SeqLens.IO.Motifs;

/// <summary>Checks shared by the motif readers.</summary>
internal static class MotifMatrixChecks
{
    /// <summary>Rows of a probability matrix must sum to 1 within this tolerance (files round to about 6 decimals).</summary>
    public const double RowSumTolerance = 0.01;

    /// <summary>Throws unless the 4 values of a probability row sum to 1 within <see cref="RowSumTolerance"/>.</summary>
    public static void CheckProbabilityRow(MotifTextReader reader, ReadOnlySpan<double> row, string motif)
    {
        double sum = row[0] + row[1] + row[2] + row[3];
        if (Math.Abs(sum - 1) > RowSumTolerance)
        {
            throw reader.Error(string.Create(CultureInfo.InvariantCulture, $"motif {motif}: probabilities sum to {sum:G6}, expected 1 (within {RowSumTolerance})"));
        }
    }

    /// <summary>Largest row sum of a count matrix (the number of sites).</summary>
    public static double Sites(ReadOnlySpan<double> matrix)
    {
        double max = 0;
        for (int i = 0; i < matrix.Length; i += 4)
        {
            max = Math.Max(max, matrix[i] + matrix[i + 1] + matrix[i + 2] + matrix[i + 3]);
        }

        return max;
    }

    /// <summary>
    /// Counts unless every row sums to 1 (within <see cref="RowSumTolerance"/>) and some value is fractional,
    /// in which case the matrix holds probabilities.
    /// </summary>
    public static MotifMatrixKind GuessKind(ReadOnlySpan<double> matrix)
    {
        bool fractional = false;
        for (int i = 0; i < matrix.Length; i += 4)
        {
            double sum = matrix[i] + matrix[i + 1] + matrix[i + 2] + matrix[i + 3];
            if (Math.Abs(sum - 1) > RowSumTolerance)
            {
                return MotifMatrixKind.Counts;
            }

            for (int j = 0; j < 4; j++)
            {
                fractional |= matrix[i + j] != Math.Floor(matrix[i + j]);
            }
        }

        return fractional ? MotifMatrixKind.Probabilities : MotifMatrixKind.Counts;
    }

    /// <summary>Sites for a motif read from a count format: the largest row sum for counts, null for probabilities.</summary>
    public static double? SitesFor(ReadOnlySpan<double> matrix, MotifMatrixKind kind)
        => kind == MotifMatrixKind.Counts ? Sites(matrix) : null;
}
