using System.Globalization;
using SeqLens.Cli;
using SeqLens.IO.BigWig;
using SeqLens.IO.Npy;
using SeqLens.Tests.IO;

namespace SeqLens.Tests.Cli;

public class RegionsCommandTests
{
    private const string Gtf =
        "chr1\tt\texon\t101\t300\t.\t+\t.\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
        "chr1\tt\texon\t501\t800\t.\t+\t.\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
        "chr1\tt\texon\t1201\t1500\t.\t-\t.\tgene_id \"B\"; transcript_id \"B1\"; gene_name \"BETA\";\n" +
        "chr1\tt\texon\t2201\t2500\t.\t+\t.\tgene_id \"C\"; transcript_id \"C1\"; gene_name \"GAMMA\";\n";

    /// <summary>Overlapping 200-bp windows tiling chr1:1-3000 (1-based headers), scores 1 inside gene B's exon, 0 elsewhere.</summary>
    private static string WriteScores(IoFixtures.TempDir tmp, string name = "s.npz", Func<long, string>? header = null)
    {
        var names = new List<string>();
        var values = new List<float>();
        for (long s = 0; s + 200 <= 3000; s += 100)
        {
            names.Add(header?.Invoke(s) ?? string.Create(CultureInfo.InvariantCulture, $"chr1:{s + 1}-{s + 200}"));
            for (long p = s; p < s + 200; p++)
            {
                values.Add(p is >= 1200 and < 1500 ? 1f : 0f);
            }
        }

        string path = tmp.File(name);
        NpzFile.Write(path, [new("names", NpyArray.FromStrings([.. names])), new("scores", NpyArray.FromSingle([.. values], names.Count, 200))]);
        return path;
    }

    [Fact]
    public void Regions_GtfCircularNull_WritesRankedTsvAndTracks()
    {
        using var tmp = IoFixtures.Temp();
        string scores = WriteScores(tmp);
        string gtf = tmp.Write("g.gtf", Gtf);
        string tsv = tmp.File("ranked.tsv");
        var (code, stdout, stderr) = Run("regions", "--scores", scores, "--annotation", gtf, "--out", tsv, "--tracks", tmp.File("t.bw"),
            "--feature", "gene", "--stat", "mean", "--null", "circular", "--permutations", "99", "--seed", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains("3 gene regions, 3 covered", stdout, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(tsv);
        Assert.Equal("region_id\tgene_name\tcontig\tstart\tend\tstrand\tcovered_bases\tstatistic\tp\tq\trank", lines[0]);
        string[] top = lines[1].Split('\t');
        Assert.Equal(["B", "BETA", "chr1", "1200", "1500", "-", "300", "1"], top[..8]);
        Assert.Equal(0.01, double.Parse(top[8], CultureInfo.InvariantCulture), 12);
        Assert.Equal("1", top[10]);

        using var bw = BigWigReader.Open(tmp.File("t.bw"));
        Assert.Equal([0f, 0f, 1f, 1f], bw.Values("chr1", 1198, 1202));
        Assert.Equal([1f, 0f], bw.Values("chr1", 1499, 1501));

        Assert.Equal(0, Run("regions", "--scores", scores, "--annotation", gtf, "--out", tmp.File("b.tsv"), "--tracks", tmp.File("t.bedGraph"), "--feature", "intergenic", "--bin", "500").Code);
        string[] bins = File.ReadAllLines(tmp.File("b.tsv"));
        Assert.Equal(5, bins.Length - 1); // scored span [0, 3000) minus genes: [0,100) [800,1200) [1500,2000) [2000,2200) [2500,3000)
        Assert.StartsWith("track type=bedGraph", File.ReadAllLines(tmp.File("t.bedGraph"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Regions_PermutedModelNull_UsesGivenTracks()
    {
        using var tmp = IoFixtures.Temp();
        string scores = WriteScores(tmp);
        string gtf = tmp.Write("g.gtf", Gtf);

        // Null "models" with the observed scores: every null statistic ties the observed one, so p = (1 + 2) / (1 + 2).
        var (code, stdout, stderr) = Run("regions", "--scores", scores, "--annotation", gtf, "--out", tmp.File("p.tsv"), "--null", "permuted", "--null-scores", scores + "," + scores);
        Assert.True(code == 0, stderr);
        Assert.Contains("null permuted x 2", stdout, StringComparison.Ordinal);
        Assert.All(File.ReadLines(tmp.File("p.tsv")).Skip(1), l => Assert.Equal("1", l.Split('\t')[8]));

        string renamed = WriteScores(tmp, "r.npz", s => string.Create(CultureInfo.InvariantCulture, $"x::chr1:{s + 1}-{s + 200}"));
        (code, _, stderr) = Run("regions", "--scores", scores, "--annotation", gtf, "--out", tmp.File("p.tsv"), "--null", "permuted", "--null-scores", renamed);
        Assert.Equal(1, code);
        Assert.Contains("sequence names differ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Regions_Errors_AreClear()
    {
        using var tmp = IoFixtures.Temp();
        string gtf = tmp.Write("g.gtf", Gtf);
        string other = tmp.Write("hg19.gtf", Gtf.Replace("chr1\t", "1\t", StringComparison.Ordinal));
        string scores = WriteScores(tmp);

        var (code, _, err) = Run("regions", "--scores", scores, "--annotation", other, "--out", tmp.File("x.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("never match", err, StringComparison.Ordinal);
        Assert.Contains("sequences on chr1; annotation on 1", err, StringComparison.Ordinal);

        string noCoords = WriteScores(tmp, "n.npz", s => "window" + s.ToString(CultureInfo.InvariantCulture));
        (code, _, err) = Run("regions", "--scores", noCoords, "--annotation", gtf, "--out", tmp.File("x.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("'window0' has no genomic coordinates", err, StringComparison.Ordinal);

        string wrongLength = WriteScores(tmp, "w.npz", s => string.Create(CultureInfo.InvariantCulture, $"chr1:{s + 1}-{s + 150}"));
        (code, _, err) = Run("regions", "--scores", wrongLength, "--annotation", gtf, "--out", tmp.File("x.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("'chr1:1-150' has 200 bases", err, StringComparison.Ordinal);

        (code, _, err) = Run("regions", "--scores", scores, "--annotation", gtf, "--out", tmp.File("x.tsv"), "--annotation-offset", "100000");
        Assert.Equal(1, code);
        Assert.Contains("no gene region overlaps any sequence: sequences span chr1:1-3000; regions span chr1:100101-102500", err, StringComparison.Ordinal);

        (code, _, err) = Run("regions", "--scores", scores, "--annotation", gtf, "--out", tmp.File("x.tsv"), "--null", "permuted");
        Assert.Equal(1, code);
        Assert.Contains("--null-scores", err, StringComparison.Ordinal);
        Assert.False(File.Exists(tmp.File("x.tsv")));
    }

    [Fact]
    public void Regions_ClassContrast_LabelsAndPermutedModelNulls_AndErrors()
    {
        using var tmp = IoFixtures.Temp();
        string scores = WriteScores(tmp);
        string gtf = tmp.Write("g.gtf", Gtf);
        var names = NpzFile.Read(scores).Single(m => m.Key == "names").Value.AsStrings();

        // Windows alternate classes; every window has score 1 in gene B's exon, so the classes do not differ anywhere.
        string labels = tmp.Write("labels.tsv", "name\ttumour\n" + string.Concat(names.Select((n, i) => n + "\t" + (i % 2).ToString(CultureInfo.InvariantCulture) + "\n")));
        string tsv = tmp.File("ranked.tsv");
        var (code, stdout, stderr) = Run("regions", "--scores", scores, "--annotation", gtf, "--out", tsv, "--feature", "gene-exons",
            "--stat", "mean", "--null", "labels", "--labels", labels, "--permutations", "99");
        Assert.True(code == 0, stderr);
        Assert.Contains("class contrast (14 vs 15 sequences), null labels x 99", stdout, StringComparison.Ordinal);
        Assert.All(File.ReadAllLines(tsv).Skip(1).Where(l => l.Split('\t')[10].Length > 0), l => Assert.Equal("0", l.Split('\t')[7]));

        var permuted = Run("regions", "--scores", scores, "--annotation", gtf, "--out", tsv, "--feature", "gene-exons",
            "--null", "permuted", "--null-scores", scores + "," + scores, "--labels", labels);
        Assert.True(permuted.Code == 0, permuted.Err);

        Assert.Contains("--labels (a class contrast) goes with", Run("regions", "--scores", scores, "--annotation", gtf, "--out", tsv, "--null", "circular", "--labels", labels).Err, StringComparison.Ordinal);
        Assert.Contains("--null labels needs --labels", Run("regions", "--scores", scores, "--annotation", gtf, "--out", tsv, "--null", "labels").Err, StringComparison.Ordinal);
        string partial = tmp.Write("partial.tsv", "name\ttumour\n" + names[0] + "\t1\n");
        Assert.Contains($"no label for sequence '{names[1]}'", Run("regions", "--scores", scores, "--annotation", gtf, "--out", tsv, "--null", "labels", "--labels", partial).Err, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = SeqLensCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
