using System.Globalization;

namespace SeqLens.IO.Motifs;

/// <summary>
/// A DNA motif: a width x 4 matrix (rows = positions, columns A, C, G, T) of counts or probabilities, with its
/// id, name and where it came from; converts to probabilities, log-odds PWMs and information content.
/// </summary>
/// <remarks>
/// Pseudocounts follow the usual count form: <c>p'[i, j] = (c[i, j] + e * b[j]) / (n[i] + e)</c> where
/// <c>c</c> are the counts, <c>n[i]</c> their row sum, <c>b</c> the background and <c>e</c> the total
/// pseudocount per position. Probability matrices are read as counts of <c>p * N</c> with
/// <c>N = <see cref="Sites"/></c>, or 20 when unknown (the MEME format's default nsites).
/// </remarks>
public sealed class Motif
{
    /// <summary>The MEME format's default number of sites, used to weigh pseudocounts of probability matrices.</summary>
    public const double DefaultSites = 20;

    private readonly double[] _matrix;

    /// <summary>Creates a motif from a row-major width x 4 matrix (copied).</summary>
    public Motif(string id, ReadOnlySpan<double> matrix, MotifMatrixKind kind, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (matrix.Length == 0 || matrix.Length % 4 != 0)
        {
            throw new ArgumentException($"Motif {id}: matrix must hold width x 4 values (A, C, G, T per position); got {matrix.Length}.", nameof(matrix));
        }

        for (int i = 0; i < matrix.Length; i++)
        {
            if (!double.IsFinite(matrix[i]) || matrix[i] < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Motif {id}: value {matrix[i]} at position {(i / 4) + 1}, base {"ACGT"[i % 4]} must be finite and non-negative."),
                    nameof(matrix));
            }
        }

        Id = id;
        Name = string.IsNullOrWhiteSpace(name) ? id : name;
        Kind = kind;
        _matrix = matrix.ToArray();
    }

    /// <summary>Identifier (MEME motif id, JASPAR matrix id, TRANSFAC AC).</summary>
    public string Id { get; }

    /// <summary>Name (MEME alternate name, JASPAR/TRANSFAC ID); the id when the file gives none.</summary>
    public string Name { get; }

    /// <summary>Whether <see cref="Matrix"/> holds counts or probabilities.</summary>
    public MotifMatrixKind Kind { get; }

    /// <summary>Number of positions.</summary>
    public int Width => _matrix.Length / 4;

    /// <summary>The width x 4 values, row-major (A, C, G, T per position).</summary>
    public ReadOnlySpan<double> Matrix => _matrix;

    /// <summary>Value at <paramref name="position"/> for base <paramref name="baseIndex"/> (0 = A, 1 = C, 2 = G, 3 = T).</summary>
    public double this[int position, int baseIndex] => _matrix[(position * 4) + baseIndex];

    /// <summary>Number of sites the matrix was built from (MEME nsites; for counts, the largest row sum); null when unknown.</summary>
    public double? Sites { get; init; }

    /// <summary>MEME E-value, when given.</summary>
    public double? EValue { get; init; }

    /// <summary>MEME URL line, when given.</summary>
    public string? Url { get; init; }

    /// <summary>Free text (TRANSFAC DE, ENCODE header text), when given.</summary>
    public string? Description { get; init; }

    /// <summary>Where the motif was read from (file path), when known.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// Probabilities (width x 4, rows sum to 1) with a total pseudocount <paramref name="pseudocount"/> per
    /// position spread by <paramref name="background"/> (uniform by default). See the class remarks.
    /// </summary>
    public double[] Probabilities(double pseudocount = 0, MotifBackground? background = null)
    {
        if (!(pseudocount >= 0) || double.IsInfinity(pseudocount))
        {
            throw new ArgumentOutOfRangeException(nameof(pseudocount), pseudocount, "Pseudocount must be finite and non-negative.");
        }

        background ??= MotifBackground.Uniform;
        double scale = Kind == MotifMatrixKind.Probabilities ? Sites ?? DefaultSites : 1;
        var p = new double[_matrix.Length];
        for (int i = 0; i < Width; i++)
        {
            double n = 0;
            for (int j = 0; j < 4; j++)
            {
                n += _matrix[(i * 4) + j] * scale;
            }

            double denominator = n + pseudocount;
            for (int j = 0; j < 4; j++)
            {
                // NOTE: an all-zero row with no pseudocount carries no information: it becomes the background.
                p[(i * 4) + j] = denominator > 0 ? ((_matrix[(i * 4) + j] * scale) + (pseudocount * background[j])) / denominator : background[j];
            }
        }

        return p;
    }

    /// <summary>
    /// Log-odds position weight matrix (width x 4): <c>log2(p'[i, j] / b[j])</c> with <see cref="Probabilities"/>'s
    /// pseudocount (default 0.8 per position, as in TFBSTools' <c>toPWM</c>). With no pseudocount a zero gives -infinity.
    /// </summary>
    public double[] LogOdds(MotifBackground? background = null, double pseudocount = 0.8)
    {
        background ??= MotifBackground.Uniform;
        double[] p = Probabilities(pseudocount, background);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = Math.Log2(p[i] / background[i % 4]);
        }

        return p;
    }

    /// <summary>
    /// Information content per position in bits: the relative entropy <c>sum_j p[i, j] log2(p[i, j] / b[j])</c>
    /// (2 - Shannon entropy for a uniform background), from the probabilities without pseudocount.
    /// </summary>
    public double[] InformationContent(MotifBackground? background = null)
    {
        background ??= MotifBackground.Uniform;
        double[] p = Probabilities(0, background);
        var ic = new double[Width];
        for (int i = 0; i < Width; i++)
        {
            double sum = 0;
            for (int j = 0; j < 4; j++)
            {
                double v = p[(i * 4) + j];
                if (v > 0)
                {
                    sum += v * Math.Log2(v / background[j]);
                }
            }

            ic[i] = sum;
        }

        return ic;
    }

    /// <summary>Total information content in bits (sum over positions).</summary>
    public double TotalInformationContent(MotifBackground? background = null) => InformationContent(background).Sum();

    /// <summary>The reverse-complement motif: positions reversed, A swapped with T and C with G; same id, name and metadata.</summary>
    public Motif ReverseComplement()
    {
        var rc = new double[_matrix.Length];
        int w = Width;
        for (int i = 0; i < w; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                rc[(i * 4) + j] = _matrix[((w - 1 - i) * 4) + (3 - j)];
            }
        }

        return WithMatrix(rc, Kind);
    }

    /// <summary>
    /// IUPAC consensus: per position the base with probability above 0.5 and twice the next; else the two-base code
    /// when the top two exceed 0.75 together; else N.
    /// </summary>
    public string Consensus()
    {
        double[] p = Probabilities();
        var chars = new char[Width];
        var order = new int[4];
        for (int i = 0; i < Width; i++)
        {
            double[] row = p[(i * 4)..((i * 4) + 4)];
            for (int j = 0; j < 4; j++)
            {
                order[j] = j;
            }

            // Stable descending order by probability (ties keep A, C, G, T order).
            Array.Sort(row.Select(v => -v).ToArray(), order);
            if (row[order[0]] > 0.5 && row[order[0]] > 2 * row[order[1]])
            {
                chars[i] = "ACGT"[order[0]];
            }
            else if (row[order[0]] + row[order[1]] > 0.75)
            {
                chars[i] = Sequences.Iupac.FromMask((1 << order[0]) | (1 << order[1]));
            }
            else
            {
                chars[i] = 'N';
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// A probability motif from an IUPAC consensus: each position splits <c>1 - softness</c> equally over the bases of
    /// its code and adds <c>softness / 4</c> to every base (default 0.1, so a plain base gets 0.925).
    /// </summary>
    public static Motif FromConsensus(string id, string consensus, double softness = 0.1)
    {
        ArgumentException.ThrowIfNullOrEmpty(consensus);
        if (!(softness >= 0 && softness <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(softness), softness, "Softness must be in [0, 1].");
        }

        var m = new double[consensus.Length * 4];
        for (int i = 0; i < consensus.Length; i++)
        {
            int mask = Sequences.Iupac.Mask(consensus[i]);
            if (mask == 0)
            {
                throw new ArgumentException($"Consensus {consensus}: '{consensus[i]}' at position {i + 1} is not an IUPAC nucleotide code.", nameof(consensus));
            }

            int bits = System.Numerics.BitOperations.PopCount((uint)mask);
            for (int j = 0; j < 4; j++)
            {
                m[(i * 4) + j] = (((mask >> j) & 1) * (1 - softness) / bits) + (softness / 4);
            }
        }

        return new Motif(id, m, MotifMatrixKind.Probabilities);
    }

    /// <summary>A copy with another matrix (same width not required) and the same metadata.</summary>
    public Motif WithMatrix(ReadOnlySpan<double> matrix, MotifMatrixKind kind) => new(Id, matrix, kind, Name)
    {
        Sites = Sites,
        EValue = EValue,
        Url = Url,
        Description = Description,
        Source = Source,
    };

    /// <summary>True when id, name, kind, matrix and all metadata are equal (matrix values compared exactly).</summary>
    public bool ContentEquals(Motif other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Id == other.Id && Name == other.Name && Kind == other.Kind && _matrix.AsSpan().SequenceEqual(other._matrix)
            && Sites == other.Sites && EValue == other.EValue && Url == other.Url && Description == other.Description;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} {Name} (width {Width}, {Kind})");
}
