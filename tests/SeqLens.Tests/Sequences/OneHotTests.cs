using SeqLens.Sequences;

namespace SeqLens.Tests.Sequences;

public class OneHotTests
{
    [Fact]
    public void Encode_Acgt_GivesChannelsAcgt()
    {
        var x = OneHot.Encode(["ACGTa"]);
        Assert.Equal(new[] { 1, 4, 5 }, x.Shape);
        float[] expected =
        [
            1, 0, 0, 0, 1,
            0, 1, 0, 0, 0,
            0, 0, 1, 0, 0,
            0, 0, 0, 1, 0,
        ];
        Assert.Equal(expected, x.Data);
    }

    [Fact]
    public void Encode_LowercaseAndU_SameAsUppercaseAndT()
    {
        Assert.Equal(OneHot.Encode(["ACGTT"]).Data, OneHot.Encode(["acgtu"]).Data);
    }

    [Theory]
    [InlineData(AmbiguousBases.Zero, 0f, 0f, 0f, 0f)]
    [InlineData(AmbiguousBases.Uniform, 0.25f, 0.25f, 0.25f, 0.25f)]
    [InlineData(AmbiguousBases.IupacFraction, 0.5f, 0f, 0.5f, 0f)]
    public void Encode_AmbiguousR_FollowsMode(AmbiguousBases mode, float a, float c, float g, float t)
    {
        var x = OneHot.Encode(["R"], mode);
        Assert.Equal(new[] { a, c, g, t }, x.Data);
    }

    [Fact]
    public void Encode_N_ZeroByDefaultQuarterOnRequest_GapAlwaysZero()
    {
        Assert.Equal(new float[8], OneHot.Encode(["N-"]).Data);
        Assert.Equal(new[] { 0.25f, 0f, 0.25f, 0f, 0.25f, 0f, 0.25f, 0f }, OneHot.Encode(["N-"], AmbiguousBases.Uniform).Data);
        Assert.Equal(new[] { 0.25f, 0f, 0.25f, 0f, 0.25f, 0f, 0.25f, 0f }, OneHot.Encode(["n."], AmbiguousBases.IupacFraction).Data);
    }

    [Fact]
    public void Encode_VectorPathAndTablePath_Agree()
    {
        // Long runs of ACGT take the SIMD path; a sprinkled N forces the table for its block.
        var gen = new Rng(1);
        for (int trial = 0; trial < 50; trial++)
        {
            int n = 1 + gen.NextInt(300);
            var chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                chars[i] = gen.NextInt(40) == 0 ? "NRyk-x"[gen.NextInt(6)] : "ACGTacgt"[gen.NextInt(8)];
            }

            var dst = new float[4 * n];
            OneHot.Encode(new string(chars).AsSpan(), dst, AmbiguousBases.IupacFraction);
            ReadOnlySpan<float> table = OneHot.Table(AmbiguousBases.IupacFraction);
            for (int i = 0; i < n; i++)
            {
                for (int ch = 0; ch < 4; ch++)
                {
                    Assert.Equal(table[(chars[i] * 4) + ch], dst[(ch * n) + i]);
                }
            }
        }
    }

    [Fact]
    public void Encode_PadAndCrop_StartAndCenter()
    {
        Assert.Equal("ACGNN", OneHot.Decode(OneHot.Encode(["ACG"], 5)).Single());
        Assert.Equal("NACGN", OneHot.Decode(OneHot.Encode(["ACG"], 5, alignment: SequenceAlignment.Center)).Single());
        Assert.Equal("NACGNN", OneHot.Decode(OneHot.Encode(["ACG"], 6, alignment: SequenceAlignment.Center)).Single());
        Assert.Equal("AC", OneHot.Decode(OneHot.Encode(["ACGTA"], 2)).Single());
        Assert.Equal("CG", OneHot.Decode(OneHot.Encode(["ACGTA"], 2, alignment: SequenceAlignment.Center)).Single());
        Assert.Equal("CGT", OneHot.Decode(OneHot.Encode(["ACGTAA"], 3, alignment: SequenceAlignment.Center)).Single());
    }

    [Fact]
    public void Encode_PaddedColumns_AreZeroEvenWhenBufferReused()
    {
        var dst = new float[4 * 6];
        Array.Fill(dst, 7f);
        OneHot.Encode("AC"u8, dst);
        Assert.Equal(new float[] { 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, dst);
    }

    [Fact]
    public void Decode_RoundTripsAndNamesAmbiguity()
    {
        string[] seqs = ["ACGTNACGTTTGCA", "GGGGCCCCAAAATT"];
        Assert.Equal(seqs, OneHot.Decode(OneHot.Encode(seqs)));
        Assert.Equal("RYN", OneHot.Decode(OneHot.Encode(["RYN"], AmbiguousBases.IupacFraction)).Single());
        Assert.Equal("NNN", OneHot.Decode(OneHot.Encode(["RYN"], AmbiguousBases.Uniform)).Single());
    }

    [Fact]
    public void Encode_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => OneHot.Encode(["ACG", "AC"]));
        Assert.Throws<ArgumentException>(() => OneHot.Encode("ACG"u8, new float[7]));
        Assert.Throws<ArgumentException>(() => OneHot.Decode(new Tensor(2, 3, 4)));
    }
}
