using SeqLens.Attribution.Evaluation;
using SeqLens.IO;

namespace SeqLens.Tests.Attribution.Evaluation;

public sealed class EmbeddedMotifTests
{
    [Fact]
    public void ParseList_PaperExample_GivesStartNameBasesEnd()
    {
        var list = EmbeddedMotif.ParseList("pos-17_GATA_disc1-CCAGATAAGA,pos-139_TAL1_known1-GGCGCCAGATGTTTAC");
        Assert.Equal(2, list.Count);
        Assert.Equal(new EmbeddedMotif(17, "GATA_disc1", "CCAGATAAGA"), list[0]);
        Assert.Equal(27, list[0].End);
        Assert.Equal(new EmbeddedMotif(139, "TAL1_known1", "GGCGCCAGATGTTTAC"), list[1]);
        Assert.Empty(EmbeddedMotif.ParseList(""));
    }

    [Theory]
    [InlineData("17_GATA-CCA")]
    [InlineData("pos-x_GATA-CCA")]
    [InlineData("pos-17_GATA-")]
    [InlineData("pos-17_GATA")]
    public void ParseList_Malformed_ThrowsWithPathAndLine(string field)
    {
        var e = Assert.Throws<ParseException>(() => EmbeddedMotif.ParseList(field, "x.simdata", 12));
        Assert.Equal("x.simdata", e.Path);
        Assert.Equal(12, e.Line);
    }
}
