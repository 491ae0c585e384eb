using System.Text;
using SeqLens.Cli;
using SeqLens.Datasets;
using SeqLens.IO.Bed;
using SeqLens.IO.Fasta;
using SeqLens.IO.Intervals;
using SeqLens.Sequences;
using SeqLens.Tests.IO;

namespace SeqLens.Tests.Datasets;

public sealed class DatasetBuilderTests : IDisposable
{
    private readonly IoFixtures.TempDir _tmp = IoFixtures.Temp();
    private readonly string _genome;
    private readonly string _bedA;
    private readonly string _bedB;

    public DatasetBuilderTests()
    {
        // A seeded genome with GC varying along each chromosome (so GC matching has something to match), soft-masked
        // stretches and an N block.
        var rng = new Rng(11);
        var records = new List<FastaRecord>();
        foreach (var (name, len) in new[] { ("chr1", 60_000), ("chr8", 20_000), ("chr10", 20_000), ("chr2", 30_000) })
        {
            var sb = new StringBuilder(len);
            for (int i = 0; i < len; i++)
            {
                double gc = 0.3 + (0.4 * ((i / 5000) % 2));
                char c = rng.NextDouble() < gc ? (rng.NextInt(2) == 0 ? 'G' : 'C') : (rng.NextInt(2) == 0 ? 'A' : 'T');
                sb.Append(i % 7000 < 300 ? char.ToLowerInvariant(c) : c);
            }

            if (name == "chr2")
            {
                sb.Remove(10_000, 2_000).Insert(10_000, new string('N', 2_000));
            }

            records.Add(new FastaRecord(name, "", sb.ToString()));
        }

        _genome = _tmp.File("genome.fa");
        FastaWriter.WriteFile(_genome, records);
        _bedA = _tmp.File("taskA.narrowPeak");
        _bedB = _tmp.File("taskB.bed");
        File.WriteAllText(_bedA,
            "chr1\t1000\t1400\ta1\t0\t.\t5\t-1\t-1\t150\n" +
            "chr1\t20000\t20300\ta2\t0\t.\t5\t-1\t-1\t-1\n" +
            "chr8\t5000\t5200\ta3\t0\t.\t5\t-1\t-1\t100\n" +
            "chr10\t7000\t7100\ta4\t0\t.\t5\t-1\t-1\t50\n" +
            "chr1\t59900\t59990\tedge\t0\t.\t5\t-1\t-1\t45\n" +
            "chrUn\t100\t200\tunknown\t0\t.\t5\t-1\t-1\t50\n" +
            "chr2\t10500\t10600\tinN\t0\t.\t5\t-1\t-1\t50\n");
        File.WriteAllText(_bedB,
            "chr1\t1100\t1250\tb1\n" +
            "chr1\t40000\t40400\tb2\n" +
            "chr2\t25000\t25200\tb3\n");
    }

    public void Dispose() => _tmp.Dispose();

    private List<(string, IReadOnlyList<BedRecord>)> Tasks() =>
        [("A", BedReader.ReadFile(_bedA)), ("B", BedReader.ReadFile(_bedB))];

    [Fact]
    public void Build_PositivesCentredOnSummitsWithMultiTaskLabels()
    {
        using var fasta = IndexedFasta.Open(_genome);
        var ds = DatasetBuilder.Build(Tasks(), fasta, new DatasetOptions { Width = 500, Negatives = NegativeKind.None });
        var pos = ds.Examples.Where(e => e.Kind == "positive").ToList();
        // a1 (summit 1150), a2 (centre 20150), a3, a4, b1 (centre 1175), b2, b3; edge, unknown and inN are skipped.
        Assert.Equal(7, pos.Count);
        Assert.All(pos, e => Assert.Equal(500, e.Sequence.Length));
        Assert.All(pos, e => Assert.Equal(fasta.Fetch(e.Chrom, e.Start, e.End), e.Sequence));
        Assert.All(pos, e => Assert.Contains(1, e.Labels)); // each window's own peak overlaps its core
        DatasetExample a1 = pos.Single(e => e.Chrom == "chr1" && e.Start == 1150 - 250);
        Assert.Equal([1, 1], a1.Labels); // b1 overlaps a1's central 200 bp
        DatasetExample b2 = pos.Single(e => e.Chrom == "chr1" && e.Start == 40200 - 250);
        Assert.Equal([0, 1], b2.Labels);
        Assert.Equal(DatasetSplit.Test, pos.Single(e => e.Chrom == "chr8").Split);
        Assert.Equal(DatasetSplit.Valid, pos.Single(e => e.Chrom == "chr10").Split);
        Assert.Contains(ds.Notes, n => n.Contains("'chrUn'", StringComparison.Ordinal));
        Assert.Contains(ds.Notes, n => n.Contains("runs off the chromosome", StringComparison.Ordinal));
        Assert.Contains(ds.Notes, n => n.Contains("non-ACGT", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_GcMatchedNegatives_MatchHistogramAvoidPositivesAndAreSeeded()
    {
        using var fasta = IndexedFasta.Open(_genome);
        var options = new DatasetOptions { Width = 400, NegativesPerPositive = 3, GcBins = 10, Seed = 5 };
        var ds = DatasetBuilder.Build(Tasks(), fasta, options);
        var pos = ds.Examples.Where(e => e.Kind == "positive").ToList();
        var neg = ds.Examples.Where(e => e.Kind == "gc_negative").ToList();
        Assert.DoesNotContain(ds.Notes, n => n.Contains("GC-matched", StringComparison.Ordinal));
        Assert.Equal(3 * pos.Count, neg.Count);
        int[] Hist(IEnumerable<DatasetExample> xs, int k) => Enumerable.Range(0, 10).Select(b => xs.Count(e => GcContent.Bin(GcContent.Of(e.Sequence).Gc, 10) == b) * k).ToArray();
        Assert.Equal(Hist(pos, 3), Hist(neg, 1));
        Assert.All(neg, n => Assert.DoesNotContain(pos, p => p.Chrom == n.Chrom && p.Start < n.End && n.Start < p.End));
        var peaks = Tasks().SelectMany(t => t.Item2).ToList();
        Assert.All(neg, n => Assert.DoesNotContain(peaks, p => p.Chrom == n.Chrom && p.Start < n.End && n.Start < p.End));
        Assert.All(neg, n => Assert.Equal([0, 0], n.Labels));
        Assert.All(neg, n => Assert.Equal(fasta.Fetch(n.Chrom, n.Start, n.End), n.Sequence));

        var again = DatasetBuilder.Build(Tasks(), fasta, options);
        Assert.Equal(neg.Select(n => (n.Chrom, n.Start)), again.Examples.Where(e => e.Kind == "gc_negative").Select(n => (n.Chrom, n.Start)));
        var other = DatasetBuilder.Build(Tasks(), fasta, options with { Seed = 6 });
        Assert.NotEqual(neg.Select(n => (n.Chrom, n.Start)), other.Examples.Where(e => e.Kind == "gc_negative").Select(n => (n.Chrom, n.Start)));
    }

    [Fact]
    public void Build_ShuffleNegatives_KeepDinucleotidesAndSplit_RcAugmentsTrainOnly()
    {
        using var fasta = IndexedFasta.Open(_genome);
        var ds = DatasetBuilder.Build(Tasks(), fasta, new DatasetOptions { Width = 300, Negatives = NegativeKind.Shuffle, ReverseComplementTrain = true });
        var pos = ds.Examples.Where(e => e.Kind == "positive").ToList();
        var shuf = ds.Examples.Where(e => e.Kind == "shuffle").ToList();
        Assert.Equal(pos.Count, shuf.Count);
        for (int i = 0; i < pos.Count; i++)
        {
            Assert.Equal(pos[i].Split, shuf[i].Split);
            Assert.Equal(Dinucleotides(pos[i].Sequence), Dinucleotides(shuf[i].Sequence));
            Assert.NotEqual(pos[i].Sequence, shuf[i].Sequence);
        }

        var rc = ds.Examples.Where(e => e.Kind.EndsWith("_rc", StringComparison.Ordinal)).ToList();
        Assert.Equal(ds.Examples.Count(e => e.Split == DatasetSplit.Train && !e.Kind.EndsWith("_rc", StringComparison.Ordinal)), rc.Count);
        Assert.All(rc, r => Assert.Equal(DatasetSplit.Train, r.Split));
        DatasetExample first = rc.First(r => r.Kind == "positive_rc");
        Assert.Equal(ReverseComplement.Of(pos.Single(p => p.Id + "_rc" == first.Id).Sequence), first.Sequence);
        Assert.Equal(Strand.Minus, first.Strand);
    }

    private static Dictionary<string, int> Dinucleotides(string s)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < s.Length; i++)
        {
            string k = s.Substring(i, 2);
            d[k] = d.GetValueOrDefault(k) + 1;
        }

        return d;
    }

    [Fact]
    public void Cli_Dataset_WritesFilesDeterministically()
    {
        string Run(string outDir, out int code, out string err)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            code = SeqLensCli.Run(["dataset", "--bed", _bedA, "--bed", _bedB, "--genome", _genome, "--out", outDir, "--width", "400", "--seed", "3", "--reverse-complement"], stdout, stderr);
            err = stderr.ToString();
            return stdout.ToString();
        }

        string o1 = Run(_tmp.File("out1"), out int c1, out string e1);
        Assert.True(c1 == 0, e1);
        Assert.Contains("tasks taskA,taskB", o1, StringComparison.Ordinal);
        Assert.Contains("note:", e1, StringComparison.Ordinal);
        Run(_tmp.File("out2"), out int c2, out _);
        Assert.Equal(0, c2);
        foreach (string f in new[] { "train.fa", "valid.fa", "test.fa", "labels.tsv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_tmp.File("out1"), f)), File.ReadAllBytes(Path.Combine(_tmp.File("out2"), f)));
        }

        string[] labels = File.ReadAllLines(Path.Combine(_tmp.File("out1"), "labels.tsv"));
        Assert.Equal("id\tchrom\tstart\tend\tstrand\tkind\tsplit\ttaskA\ttaskB", labels[0]);
        int fastaRecords = new[] { "train.fa", "valid.fa", "test.fa" }.Sum(f => FastaReader.ReadFile(Path.Combine(_tmp.File("out1"), f)).Count());
        Assert.Equal(labels.Length - 1, fastaRecords);
        Assert.Equal(0, FastaReader.ReadFile(Path.Combine(_tmp.File("out1"), "test.fa")).Count(r => !r.Description.StartsWith("chr8:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Cli_Dataset_BadInputs_ExitOneWithMessage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(1, SeqLensCli.Run(["dataset", "--bed", _bedA, "--genome", _genome, "--out", _tmp.File("x"), "--task-names", "a,b"], stdout, stderr));
        Assert.Contains("--task-names", stderr.ToString(), StringComparison.Ordinal);
        string bad = _tmp.Write("bad.bed", "chr1\t10\t5\n");
        using var stderr2 = new StringWriter();
        Assert.Equal(1, SeqLensCli.Run(["dataset", "--bed", bad, "--genome", _genome, "--out", _tmp.File("y")], stdout, stderr2));
        Assert.Contains("bad.bed:1:3", stderr2.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ChromosomeSplit_DefaultsAndPrefixInsensitive()
    {
        var s = ChromosomeSplit.Default;
        Assert.Equal(DatasetSplit.Test, s.Of("chr8"));
        Assert.Equal(DatasetSplit.Test, s.Of("9"));
        Assert.Equal(DatasetSplit.Valid, s.Of("chr10"));
        Assert.Equal(DatasetSplit.Train, s.Of("chr1"));
        Assert.Throws<ArgumentException>(() => new ChromosomeSplit(["chr1"], ["1"]));
    }
}
