using SeqLens.Sequences.Simulation;

namespace SeqLens.Tests.Sequences.Simulation;

public class LabelRuleTests
{
    [Theory]
    [InlineData("A & B", "(A & B)")]
    [InlineData("A | B & C", "(A | (B & C))")]
    [InlineData("A ^ B | C", "((A ^ B) | C)")]
    [InlineData("!A & B", "(!A & B)")]
    [InlineData("!(A | B)", "!(A | B)")]
    [InlineData("GATA_disc1&TAL1_known1", "(GATA_disc1 & TAL1_known1)")]
    public void Parse_Precedence(string text, string expected)
    {
        Assert.Equal(expected, LabelRule.Parse(text).ToString());
        Assert.Equal(expected, LabelRule.Parse(expected).ToString());
    }

    [Fact]
    public void Evaluate_TruthTables()
    {
        HashSet<string>[] sets = [[], ["A"], ["B"], ["A", "B"]];
        Assert.Equal([false, false, false, true], sets.Select(LabelRule.Parse("A & B").Evaluate));
        Assert.Equal([false, true, true, true], sets.Select(LabelRule.Parse("A | B").Evaluate));
        Assert.Equal([false, true, true, false], sets.Select(LabelRule.Parse("A ^ B").Evaluate));
        Assert.Equal([true, false, true, false], sets.Select(LabelRule.Parse("!A").Evaluate));
        Assert.Equal(["A", "B"], LabelRule.Parse("A & !(B | A)").Motifs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A &")]
    [InlineData("(A | B")]
    [InlineData("A B")]
    [InlineData("A & $")]
    public void Parse_Bad_ThrowsFormatException(string text)
    {
        var ex = Assert.Throws<FormatException>(() => LabelRule.Parse(text));
        Assert.Contains("column", ex.Message, StringComparison.Ordinal);
    }
}
