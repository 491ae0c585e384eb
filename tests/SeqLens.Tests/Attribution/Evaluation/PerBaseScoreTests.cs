using SeqLens.Attribution.Evaluation;

namespace SeqLens.Tests.Attribution.Evaluation;

public sealed class PerBaseScoreTests
{
    // (1, 4, 2): position 0 is C, position 1 is T.
    private static readonly Tensor OneHotCt = new([0, 0, 1, 0, 0, 0, 0, 1], 1, 4, 2);
    private static readonly Tensor Scores = new([1, -2, 3, 4, -5, 6, 7, -8], 1, 4, 2);

    [Fact]
    public void ObservedBase_PicksTheBasePresent()
        => Assert.Equal([3f, -8f], PerBaseScore.ObservedBase(Scores, OneHotCt).Data);

    [Fact]
    public void AbsoluteSum_SumsMagnitudes()
        => Assert.Equal([1f + 3 + 5 + 7, 2f + 4 + 6 + 8], PerBaseScore.AbsoluteSum(Scores).Data);

    [Fact]
    public void IsmMeanLoss_IsMinusMeanOfTheThreeSubstitutions()
    {
        // Channel-major (1, 4, 2); reference C at position 0 and T at position 1 score 0.
        // Position 0: −(−3 − 6 + 3)/3 = 2; position 1: −(0 + 3 + 0)/3 = −1 (substitutions raise the output).
        var ism = new Tensor([-3, 0, 0, 3, -6, 0, 3, 0], 1, 4, 2);
        Assert.Equal([2f, -1f], PerBaseScore.IsmMeanLoss(ism).Data);
    }

    [Fact]
    public void ObservedBase_ShapeMismatch_Throws()
        => Assert.Throws<ArgumentException>(() => PerBaseScore.ObservedBase(Scores, new Tensor(1, 4, 3)));
}
