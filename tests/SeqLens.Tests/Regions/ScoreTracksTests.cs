using SeqLens.IO;
using SeqLens.IO.Npy;
using SeqLens.Regions;
using SeqLens.Tests.IO;

namespace SeqLens.Tests.Regions;

public class ScoreTracksTests
{
    [Fact]
    public void Read_FourChannelScores_SumOrObservedBase()
    {
        using var tmp = IoFixtures.Temp();
        // 1 sequence "c:1-3", bases A, C, N; scores[c, j] = 10c + j.
        float[] scores = new float[12];
        for (int c = 0; c < 4; c++)
        {
            for (int j = 0; j < 3; j++)
            {
                scores[(c * 3) + j] = (10 * c) + j;
            }
        }

        float[] onehot = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        string path = tmp.File("s.npz");
        NpzFile.Write(path, [new("names", NpyArray.FromStrings(["c:1-3"])), new("scores", NpyArray.FromSingle(scores, 1, 4, 3)), new("onehot", NpyArray.FromSingle(onehot, 1, 4, 3))]);
        Assert.Equal([60f, 64f, 68f], ScoreTracks.Read(path).Tracks[0]);
        Assert.Equal([0f, 11f, 0f], ScoreTracks.Read(path, BaseReduction.Observed).Tracks[0]);
    }

    [Fact]
    public void Read_TwoDimensional_AndErrors()
    {
        using var tmp = IoFixtures.Temp();
        string ok = tmp.File("ok.npz");
        NpzFile.Write(ok, [new("names", NpyArray.FromStrings(["a", "b"])), new("gradcam", NpyArray.FromDouble([1, 2, 3, 4, 5, 6], 2, 3))]);
        ScoreTracks t = ScoreTracks.Read(ok);
        Assert.Equal(["a", "b"], t.Names);
        Assert.Equal([4f, 5f, 6f], t.Tracks[1]);

        string bad = tmp.File("bad.npz");
        NpzFile.Write(bad, [new("names", NpyArray.FromStrings(["a"])), new("scores", NpyArray.FromSingle([1, 2, 3, 4, 5, 6], 2, 3))]);
        Assert.Contains("N = 1 names", Assert.Throws<ParseException>(() => ScoreTracks.Read(bad)).Message, StringComparison.Ordinal);

        string noNames = tmp.File("nonames.npz");
        NpzFile.Write(noNames, [new("scores", NpyArray.FromSingle([1, 2], 1, 2))]);
        Assert.Contains("'names'", Assert.Throws<ParseException>(() => ScoreTracks.Read(noNames)).Message, StringComparison.Ordinal);

        string noOnehot = tmp.File("nooh.npz");
        NpzFile.Write(noOnehot, [new("names", NpyArray.FromStrings(["a"])), new("scores", NpyArray.FromSingle(new float[8], 1, 4, 2))]);
        Assert.Contains("onehot", Assert.Throws<ParseException>(() => ScoreTracks.Read(noOnehot, BaseReduction.Observed)).Message, StringComparison.Ordinal);
    }
}
