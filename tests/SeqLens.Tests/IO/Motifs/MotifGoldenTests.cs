using SeqLens.IO.Motifs;
using SeqLens.Sequences.Simulation;

namespace SeqLens.Tests.IO.Motifs;

/// <summary>
/// Golden files for what people read: motif writers and the simulation's output files. Regenerate only with
/// <c>UPDATE_GOLDEN=1 dotnet test ... --filter FullyQualifiedName~MotifGoldenTests</c> and read the diff.
/// </summary>
public class MotifGoldenTests
{
    private static readonly Motif[] Motifs =
    [
        new Motif("MA0035.5", [10, 2, 80, 8, 90, 4, 3, 3, 1, 1, 1, 97, 95, 1, 2, 2], MotifMatrixKind.Counts, "GATA1")
        {
            Sites = 100,
            Description = "example counts",
        },
        new Motif("GATA_like", [0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0.97, 0.01, 0.01, 0.01], MotifMatrixKind.Probabilities)
        {
            Sites = 18,
            EValue = 1.5e-7,
            Url = "https://example.org/GATA_like",
        },
    ];

    [Theory]
    [InlineData(MotifFormat.Meme, "written.meme")]
    [InlineData(MotifFormat.Jaspar, "written.jaspar")]
    [InlineData(MotifFormat.Transfac, "written.transfac")]
    [InlineData(MotifFormat.PfmRows, "written.pfm")]
    [InlineData(MotifFormat.Encode, "written.encode.txt")]
    public void Write_MatchesGolden(MotifFormat format, string file)
    {
        var w = new StringWriter();
        switch (format)
        {
            case MotifFormat.Meme:
                MemeFormat.Write(w, Motifs);
                break;
            case MotifFormat.Jaspar:
                JasparFormat.Write(w, Motifs);
                break;
            case MotifFormat.Transfac:
                TransfacFormat.Write(w, Motifs);
                break;
            case MotifFormat.PfmRows:
                PfmRowsFormat.Write(w, Motifs);
                break;
            default:
                EncodeMotifsFormat.Write(w, Motifs);
                break;
        }

        AssertGolden(Path.Combine("Motifs", file), w.ToString());
    }

    [Fact]
    public void Simulation_SimplePreset_MatchesGolden()
    {
        SimulationResult r = Simulator.Generate(SimulationPresets.Simple(), 4, 40, 1);
        var fasta = new StringWriter();
        var labels = new StringWriter();
        var bed = new StringWriter();
        SimulationWriter.WriteFasta(fasta, r);
        SimulationWriter.WriteLabels(labels, r);
        SimulationWriter.WriteBed(bed, r);
        AssertGolden(Path.Combine("Simulation", "simple-n4-len40-seed1.fa"), fasta.ToString());
        AssertGolden(Path.Combine("Simulation", "simple-n4-len40-seed1.labels.tsv"), labels.ToString());
        AssertGolden(Path.Combine("Simulation", "simple-n4-len40-seed1.truth.bed"), bed.ToString());
    }

    private static void AssertGolden(string relative, string actual)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeqLens.slnx")))
            {
                dir = dir.Parent;
            }

            string target = Path.Combine(dir!.FullName, "tests", "SeqLens.Tests", "Fixtures", relative);
            File.WriteAllText(target, actual);
            return;
        }

        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);
        Assert.True(File.Exists(path), $"golden file {relative} is missing; create it with UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
