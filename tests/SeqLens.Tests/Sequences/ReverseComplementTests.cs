using SeqLens.Sequences;

namespace SeqLens.Tests.Sequences;

public class ReverseComplementTests
{
    [Theory]
    [InlineData("ACGT", "ACGT")]
    [InlineData("AACG", "CGTT")]
    [InlineData("acgTN", "NAcgt")]
    [InlineData("RYKMBVDHSWN", "NWSDHBVKMRY")]
    [InlineData("ryk-", "-mry")]
    [InlineData("AU", "AT")]
    [InlineData("", "")]
    public void Of_String_IupacAwareAndCasePreserving(string input, string expected)
        => Assert.Equal(expected, ReverseComplement.Of(input));

    [Fact]
    public void Apply_Bytes_MatchesString()
    {
        const string S = "ACGTRYKMBVDHNacgtrykmbvdhn-.";
        var src = System.Text.Encoding.ASCII.GetBytes(S);
        var dst = new byte[src.Length];
        ReverseComplement.Apply(src, dst);
        Assert.Equal(ReverseComplement.Of(S), System.Text.Encoding.ASCII.GetString(dst));
        ReverseComplement.InPlace(src);
        Assert.Equal(dst, src);
        Assert.Equal(S, ReverseComplement.Of(ReverseComplement.Of(S)));
    }

    [Theory]
    [InlineData(AmbiguousBases.Zero)]
    [InlineData(AmbiguousBases.IupacFraction)]
    public void OneHot_EqualsEncodingOfReverseComplement(AmbiguousBases mode)
    {
        string[] seqs = ["ACGTRNAAGCTY", "GGGATCCATKMW"];
        var x = OneHot.Encode(seqs, mode);
        var rc = ReverseComplement.OneHot(x);
        var expected = OneHot.Encode(seqs.Select(ReverseComplement.Of).ToList(), mode);
        Assert.Equal(expected.Data, rc.Data);
    }
}
