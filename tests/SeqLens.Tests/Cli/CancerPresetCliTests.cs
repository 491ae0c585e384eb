using SeqLens.Cli;
using SeqLens.IO.Fasta;
using SeqLens.IO.Npy;
using SeqLens.Tests.IO;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Cli;

public class CancerPresetCliTests
{
    private const string Fa = "genome/augustus_cgp_hg38_chr16_186964-397118.fa";
    private const string Gtf = "genome/augustus_cgp_refseq.hg38.gtf";

    [SharedDataFact(Fa, Gtf)]
    public void SimulateCancer_ThenRegionsWithOracleScores_RanksTargetGenesFirst()
    {
        using var tmp = IoFixtures.Temp();
        string[] args = ["simulate", "--preset", "cancer", "--genome", SharedData.Require(Fa), "--annotation", SharedData.Require(Gtf),
            "--genes", "NM_003502,NM_006849", "--n", "120", "--length", "500", "--seed", "9", "--out"];
        var (code, stdout, stderr) = Run([.. args, tmp.File("a")]);
        Assert.True(code == 0, stderr);
        Assert.Contains("120 windows x 500 bp from chr16 (genome offset 186963)", stdout, StringComparison.Ordinal);
        Assert.Equal(0, Run([.. args, tmp.File("b")]).Code);
        foreach (string f in new[] { "sequences.fa", "labels.tsv", "mutations.tsv", "windows.bed", "target_exons.bed" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.File("a"), f)), File.ReadAllBytes(Path.Combine(tmp.File("b"), f)));
        }

        // Oracle "attribution": 1 at every recorded mutation's window offset, 0 elsewhere.
        var records = FastaReader.ReadFile(Path.Combine(tmp.File("a"), "sequences.fa")).ToList();
        var index = records.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var scores = new float[records.Count * 500];
        foreach (string line in File.ReadLines(Path.Combine(tmp.File("a"), "mutations.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            scores[(index[f[0]] * 500) + int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture)] = 1;
        }

        string npz = tmp.File("oracle.npz");
        NpzFile.Write(npz, [new("names", NpyArray.FromStrings(records.Select(r => r.Id).ToArray())), new("scores", NpyArray.FromSingle(scores, records.Count, 500))]);
        (code, stdout, stderr) = Run("regions", "--scores", npz, "--annotation", SharedData.Require(Gtf), "--annotation-offset", "186963",
            "--out", tmp.File("ranked.tsv"), "--feature", "exon", "--stat", "sum", "--null", "circular", "--permutations", "200", "--seed", "2");
        Assert.True(code == 0, stderr);
        // The top exons are target-gene exons (RefSeq isoforms such as NM_181050 share AXIN1's exons and may rank too).
        var targets = File.ReadLines(Path.Combine(tmp.File("a"), "target_exons.bed")).Select(l => l.Split('\t')).Select(f => (S: long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), E: long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var top = File.ReadLines(tmp.File("ranked.tsv")).Skip(1).Take(3).Select(l => l.Split('\t')).Select(f => (S: long.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), E: long.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.All(top, r => Assert.Contains(targets, t => t.S < r.E && r.S < t.E));

        // The windows BED written by the preset gives the same intervals as the headers.
        Assert.Equal(0, Run("regions", "--scores", npz, "--bed", Path.Combine(tmp.File("a"), "windows.bed"), "--annotation", SharedData.Require(Gtf),
            "--annotation-offset", "186963", "--out", tmp.File("ranked2.tsv"), "--feature", "exon", "--stat", "sum").Code);
        Assert.Equal(
            File.ReadLines(tmp.File("ranked.tsv")).Select(l => string.Join('\t', l.Split('\t')[..8])).Order(StringComparer.Ordinal),
            File.ReadLines(tmp.File("ranked2.tsv")).Select(l => string.Join('\t', l.Split('\t')[..8])).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SimulateCancer_MissingInputs_IsError()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(1, SeqLensCli.Run(["simulate", "--preset", "cancer", "--out", "unused"], stdout, stderr));
        Assert.Contains("--genome, --annotation and --genes", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, SeqLensCli.Run(["simulate", "--preset", "simple", "--genes", "X", "--out", "unused"], stdout, stderr));
        Assert.False(Directory.Exists("unused"));
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = SeqLensCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
