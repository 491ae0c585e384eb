using SeqLens.Graphs;
using SeqLens.IO;
using SeqLens.Training;

namespace SeqLens.Tests.Training;

public sealed class SequenceDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("seqlens-ds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Split_SeededDisjointCoveringAndOrdered()
    {
        var (x, y) = TrainerTestData.Motifs(50, 8, 1);
        var data = new SequenceDataset(Enumerable.Range(0, 50).Select(i => "s" + i).ToArray(), x, y, ["a", "b"]);
        var (train, valid) = data.Split(0.2, seed: 3);
        var (train2, valid2) = data.Split(0.2, seed: 3);
        var (_, valid3) = data.Split(0.2, seed: 4);
        Assert.Equal(10, valid.Count);
        Assert.Equal(40, train.Count);
        Assert.Equal(valid.Names, valid2.Names);
        Assert.NotEqual(valid.Names, valid3.Names);
        Assert.Empty(train.Names.Intersect(valid.Names));
        Assert.Equal(data.Names.Order(), train.Names.Concat(valid.Names).Order());
        // Rows travel with their names.
        int k = int.Parse(valid.Names[0][1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(x.Data.AsSpan(k * 32, 32).ToArray(), valid.X.Data.AsSpan(0, 32).ToArray());
        Assert.Equal(y.Data.AsSpan(k * 2, 2).ToArray(), valid.Y!.Data.AsSpan(0, 2).ToArray());
        Assert.Equal(0, data.Split(0, 1).Validation.Count);
        Assert.Equal(1, data.Split(0.001, 1).Validation.Count);
        Assert.Equal(49, data.Split(0.999, 1).Validation.Count);
        Assert.Equal(0, data.Subset([3]).Split(0.5, 1).Validation.Count);
    }

    [Fact]
    public void SequenceLength_NonDnaInput_Throws()
    {
        var b = new GraphBuilder();
        Graph g = b.Build(b.Dense(b.Input("x", 7), 1));
        var ex = Assert.Throws<ArgumentException>(() => SequenceDataset.SequenceLength(g));
        Assert.Contains("(4, length)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(12, SequenceDataset.SequenceLength(TrainerTestData.Cnn(12, 1, 0)));
    }

    [Fact]
    public void LabelTable_MissingValuesBecomeMinusOne()
    {
        string path = Path.Combine(_dir, "labels.tsv");
        File.WriteAllText(path, "# comment\nname\ta\tb\tc\nx\t1\tNA\t0.5\ny\t\t.\t-1\n");
        LabelTable t = LabelTable.Read(path);
        Assert.Equal(["a", "b", "c"], t.TaskNames);
        Assert.True(t.TryGet("x", out float[] x));
        Assert.Equal(new[] { 1f, -1f, 0.5f }, x);
        Assert.True(t.TryGet("y", out float[] y));
        Assert.Equal(new[] { -1f, -1f, -1f }, y);
        Assert.False(t.TryGet("z", out _));
    }

    [Theory]
    [InlineData("name\ta\nx\t1\nx\t0\n", 3, "sequence 'x' is labelled twice")]
    [InlineData("name\ta\tb\nx\t1\n", 2, "expected 3 tab-separated fields (as the header); got 2")]
    [InlineData("name\n", 1, "needs a name column and at least one task column")]
    [InlineData("", 0, "the file is empty")]
    [InlineData("name\ta\n\t1\n", 2, "empty sequence name")]
    public void LabelTable_Malformed_ParseExceptionWithLine(string text, int line, string expected)
    {
        string path = Path.Combine(_dir, "bad.tsv");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<ParseException>(() => LabelTable.Read(path));
        Assert.Equal(line, ex.Line);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
