using System.IO.Compression;
using SeqLens.IO.Motifs;
using SeqLens.Sequences;
using SeqLens.Sequences.Simulation;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Sequences.Simulation;

public class SimulatorTests
{
    [Fact]
    public void Generate_SameSeed_SameBytes_OtherSeedDiffers()
    {
        string a = Files(Simulator.Generate(SimulationPresets.TalGata(), 40, null, 7));
        string b = Files(Simulator.Generate(SimulationPresets.TalGata(), 40, null, 7));
        string c = Files(Simulator.Generate(SimulationPresets.TalGata(), 40, null, 8));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Generate_SequenceDoesNotDependOnCount()
    {
        var small = Simulator.Generate(SimulationPresets.Logic(), 5, null, 3);
        var large = Simulator.Generate(SimulationPresets.Logic(), 50, null, 3);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(small.Sequences[i], large.Sequences[i] with { Instances = small.Sequences[i].Instances, Labels = small.Sequences[i].Labels });
            Assert.Equal(small.Sequences[i].Embeddings, large.Sequences[i].Embeddings);
        }
    }

    [Fact]
    public void TalGata_ClassesLabelsAndGroundTruth_AreConsistent()
    {
        SimulationResult r = Simulator.Generate(SimulationPresets.TalGata(), 400, null, 11);
        Assert.Equal(["task1", "task2", "task3"], r.TaskNames);
        Assert.All(r.Sequences.GroupBy(s => s.ClassName), g => Assert.Equal(100, g.Count()));
        var counts = new Dictionary<int, int>();
        foreach (SimulatedSequence s in r.Sequences)
        {
            Assert.Equal(200, s.Sequence.Length);
            bool gata = s.Instances.Any(i => i.Motif == "GATA_disc1");
            bool tal = s.Instances.Any(i => i.Motif == "TAL1_known1");
            Assert.Equal(s.ClassName switch { "empty" => (false, false), "gata_only" => (true, false), "tal1_only" => (false, true), _ => (true, true) }, (gata, tal));
            Assert.Equal([gata && tal ? 1 : 0, gata ? 1 : 0, tal ? 1 : 0], s.Labels);
            AssertInstancesValid(s);
            Assert.All(s.Instances, i => Assert.Equal('+', i.Strand));
            foreach (var g in s.Instances.GroupBy(i => i.Motif))
            {
                Assert.InRange(g.Count(), 1, 3);
                counts[g.Count()] = counts.GetValueOrDefault(g.Count()) + 1;
            }
        }

        // Poisson(2) redrawn into [1, 3]: 3/8, 3/8, 1/4 of 400 present motifs.
        Assert.InRange(counts[1], 110, 190);
        Assert.InRange(counts[2], 110, 190);
        Assert.InRange(counts[3], 65, 135);
    }

    [Fact]
    public void TalGata_EmptyClassGc_IsFortyPercent()
    {
        SimulationResult r = Simulator.Generate(SimulationPresets.TalGata(), 800, null, 5);
        string all = string.Concat(r.Sequences.Where(s => s.ClassName == "empty").Select(s => s.Sequence));
        double gc = all.Count(c => c is 'G' or 'C') / (double)all.Length;
        Assert.InRange(gc, 0.39, 0.41);
    }

    [SharedDataFact("motifs/encode_motifs.txt.gz", "talgata/sequences.simdata.gz")]
    public void TalGata_FromEncodeFile_MatchesBuiltInAndPublishedData()
    {
        SimulationDesign fromFile = SimulationPresets.TalGata(SharedData.Require("motifs/encode_motifs.txt.gz"));
        Motif[] motifs = fromFile.Classes[3].Embeddings.Select(e => e.Motif).ToArray();
        Assert.Equal(BuiltInMotifs.GataDisc1.Matrix.ToArray(), motifs[0].Matrix.ToArray());
        Assert.Equal(BuiltInMotifs.Tal1Known1.Matrix.ToArray(), motifs[1].Matrix.ToArray());
        Assert.Equal(BuiltInMotifs.Tal1Known1.Description, motifs[1].Description);

        // The published data has 46 % GC (not the paper's 40 %); with gc = 0.46 our overall GC matches it.
        SimulationResult ours = Simulator.Generate(SimulationPresets.TalGata(SharedData.Require("motifs/encode_motifs.txt.gz"), gc: 0.46), 2000, null, 1);
        double ourGc = ours.Sequences.Sum(s => s.Sequence.Count(c => c is 'G' or 'C')) / (2000.0 * 200);
        using var gz = new GZipStream(File.OpenRead(SharedData.Require("talgata/sequences.simdata.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        reader.ReadLine();
        long gcCount = 0, total = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string seq = line.Split('\t')[1];
            gcCount += seq.Count(c => c is 'G' or 'C');
            total += seq.Length;
        }

        Assert.InRange(ourGc - (gcCount / (double)total), -0.01, 0.01);
    }

    [Fact]
    public void Logic_LabelsFollowRules_AndMotifsAppearHalfTheTime()
    {
        SimulationResult r = Simulator.Generate(SimulationPresets.Logic(), 1000, null, 2);
        var present = new Dictionary<string, int>();
        foreach (SimulatedSequence s in r.Sequences)
        {
            var set = s.Instances.Select(i => i.Motif).ToHashSet();
            foreach (string m in set)
            {
                present[m] = present.GetValueOrDefault(m) + 1;
            }

            bool ap1 = set.Contains("AP1"), ctcf = set.Contains("CTCF"), gata = set.Contains("GATA"), sp1 = set.Contains("SP1");
            Assert.Equal([ap1 && ctcf ? 1 : 0, gata || sp1 ? 1 : 0, ap1 ^ gata ? 1 : 0, ctcf && !sp1 ? 1 : 0], s.Labels);
            AssertInstancesValid(s);
        }

        Assert.All(present.Values, v => Assert.InRange(v, 440, 560));
        int minus = r.Sequences.Sum(s => s.Instances.Count(i => i.Strand == '-'));
        int all = r.Sequences.Sum(s => s.Instances.Count);
        Assert.InRange(minus / (double)all, 0.45, 0.55);
    }

    [Fact]
    public void Simple_HalfPositive_OneInstanceEach()
    {
        SimulationResult r = Simulator.Generate(SimulationPresets.Simple(), 100, 60, 4);
        Assert.Equal(50, r.Sequences.Count(s => s.Labels[0] == 1));
        Assert.All(r.Sequences, s => Assert.Equal(s.Labels[0], s.Instances.Count));
        Assert.All(r.Sequences, s => Assert.Equal(60, s.Sequence.Length));
    }

    [Fact]
    public void Instance_Score_IsLogOddsOfSampledSite()
    {
        SimulationResult r = Simulator.Generate(SimulationPresets.Simple(), 20, null, 9);
        double[] lo = BuiltInMotifs.GataDisc1.LogOdds(MotifBackground.FromGc(0.5));
        foreach (MotifInstance m in r.Sequences.SelectMany(s => s.Instances))
        {
            string forward = m.Strand == '+' ? m.Bases : ReverseComplement.Of(m.Bases);
            double score = forward.Select((c, p) => lo[(p * 4) + "ACGT".IndexOf(c, StringComparison.Ordinal)]).Sum();
            Assert.Equal(score, m.Score, 9);
        }
    }

    [Fact]
    public void Generate_NoRoom_ThrowsClearError()
    {
        var design = new SimulationDesign("tight", new GcBackground(0.5),
            [new SimulationClass("c", [new MotifEmbedding(Motif.FromConsensus("M", "ACGTACGT"), 1, 3, 3)])],
            [new SimulationTask("t", LabelRule.Motif("M"))], 20, false);
        var ex = Assert.Throws<ArgumentException>(() => Simulator.Generate(design, 5, null, 1));
        Assert.Contains("longer sequences", ex.Message, StringComparison.Ordinal);

        // Fits in total but fragments: some seed leaves no gap of 8 (25 bases, three instances of 8).
        var loose = design with { DefaultLength = 25 };
        var failure = Record.Exception(() => Simulator.Generate(loose, 200, null, 1));
        Assert.IsType<InvalidOperationException>(failure);
        Assert.Contains("no room left for motif M", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_TaskOnUnknownMotif_Throws()
    {
        var design = SimulationPresets.Simple() with { Tasks = [new SimulationTask("t", LabelRule.Motif("NOPE"))] };
        var ex = Assert.Throws<ArgumentException>(() => Simulator.Generate(design, 2, null, 1));
        Assert.Contains("NOPE", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertInstancesValid(SimulatedSequence s)
    {
        int lastEnd = 0;
        foreach (MotifInstance m in s.Instances)
        {
            Assert.True(m.Start >= lastEnd, $"{s.Name}: instances overlap at {m.Start}");
            Assert.Equal(m.Bases, s.Sequence.Substring(m.Start, m.Bases.Length));
            Assert.Equal($"pos-{m.Start}_{m.Motif}-{m.Bases}", m.Embedding);
            lastEnd = m.End;
        }
    }

    private static string Files(SimulationResult r)
    {
        var w = new StringWriter();
        SimulationWriter.WriteFasta(w, r);
        SimulationWriter.WriteLabels(w, r);
        SimulationWriter.WriteBed(w, r);
        SimulationWriter.WriteSimdata(w, r);
        return w.ToString();
    }
}
