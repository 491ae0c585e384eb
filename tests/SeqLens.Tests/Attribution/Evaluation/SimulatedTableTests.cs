using SeqLens.Attribution.Evaluation;
using SeqLens.IO;

namespace SeqLens.Tests.Attribution.Evaluation;

public sealed class SimulatedTableTests : IDisposable
{
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (string f in _files)
        {
            File.Delete(f);
        }
    }

    [Fact]
    public void Read_FiltersByName_KeepsEmbeddingsAndLabels()
    {
        string path = Write("seqName\tsequence\tembeddings\ttask1\ttask2\n"
            + "a\tACGTACGT\tpos-1_GATA_disc1-CGT\t0\t1\n"
            + "b\tTTTTTTTT\t\t0\t0\n"
            + "c\tGGGGCCCC\tpos-0_TAL1_known1-GG,pos-4_GATA_disc1-CC\t1\t1\n");
        var all = SimulatedTable.Read(path);
        Assert.Equal(["a", "b", "c"], all.Select(r => r.Name));
        Assert.Empty(all[1].Embeddings);
        Assert.Equal([1, 1], all[2].Labels);
        var some = SimulatedTable.Read(path, new HashSet<string>(["c", "a"]));
        Assert.Equal(["a", "c"], some.Select(r => r.Name));
        Assert.Equal(new EmbeddedMotif(4, "GATA_disc1", "CC"), some[1].Embeddings[1]);
    }

    [Fact]
    public void Read_BadLabel_ThrowsWithLine()
    {
        string path = Write("seqName\tsequence\tembeddings\ttask1\na\tACGT\t\t2\n");
        var e = Assert.Throws<ParseException>(() => SimulatedTable.Read(path));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Read_BadHeader_Throws()
        => Assert.Throws<ParseException>(() => SimulatedTable.Read(Write("name\tseq\n")));

    private string Write(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), "seqlens-simdata-" + Guid.NewGuid().ToString("N") + ".tsv");
        File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }
}
