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

    [Fact]
    public void Read_PicksGradCamAndAttributionMembers_OrTheNamedOne()
    {
        using var tmp = IoFixtures.Temp();
        // A gradcam npz: cam at node resolution (N, Lnode) and nucleotide (N, L); the nucleotide map is the track.
        string cam = tmp.File("cam.npz");
        NpzFile.Write(cam, [new("names", NpyArray.FromStrings(["a"])), new("cam", NpyArray.FromSingle([9f, 9f], 1, 2)), new("nucleotide", NpyArray.FromSingle([1f, 2f, 3f], 1, 3)), new("weights", NpyArray.FromSingle([5f], 1, 1))]);
        Assert.Equal([1f, 2f, 3f], ScoreTracks.Read(cam).Tracks[0]);
        Assert.Equal([9f, 9f], ScoreTracks.Read(cam, member: "cam").Tracks[0]);
        Assert.Contains("no member 'nope'", Assert.Throws<ParseException>(() => ScoreTracks.Read(cam, member: "nope")).Message, StringComparison.Ordinal);

        // An attribute npz: contrib (N, 4, L) wins over hypothetical; summed over bases.
        string attr = tmp.File("attr.npz");
        NpzFile.Write(attr, [new("names", NpyArray.FromStrings(["a"])), new("hypothetical", NpyArray.FromSingle(new float[8], 1, 4, 2)), new("contrib", NpyArray.FromSingle([1, 0, 0, 2, 0, 0, 0, 0], 1, 4, 2))]);
        Assert.Equal([1f, 2f], ScoreTracks.Read(attr).Tracks[0]);
    }

    [Fact]
    public void PerSequenceNormalized_MeanAbsoluteValueOne_ZerosAndNaNKept()
    {
        var t = new ScoreTracks(["a", "b", "c"], [[2f, -2f, float.NaN, 4f], [0f, 0f], [0.5f]]);
        ScoreTracks n = t.PerSequenceNormalized();
        Assert.Equal([0.75f, -0.75f, float.NaN, 1.5f], n.Tracks[0]);
        Assert.Equal([0f, 0f], n.Tracks[1]);
        Assert.Equal([1f], n.Tracks[2]);
        Assert.Equal(t.Names, n.Names);
    }
}
