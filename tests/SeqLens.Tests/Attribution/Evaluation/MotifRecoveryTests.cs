using SeqLens.Attribution.Evaluation;

namespace SeqLens.Tests.Attribution.Evaluation;

public sealed class MotifRecoveryTests
{
    private static readonly IReadOnlyList<EmbeddedMotif>[] Embeddings =
    [
        [new EmbeddedMotif(1, "GATA_disc1", "GA"), new EmbeddedMotif(4, "TAL1_known1", "CAT")],
        [new EmbeddedMotif(5, "GATA_disc1", "GATA")],
    ];

    [Fact]
    public void Labels_RelevantInstancesOnly_ClippedToLength()
    {
        float[] gata = MotifRecovery.Labels(Embeddings, 7, m => m.Name.StartsWith("GATA", StringComparison.Ordinal));
        Assert.Equal([0, 1, 1, 0, 0, 0, 0, /* second */ 0, 0, 0, 0, 0, 1, 1], gata);
        float[] both = MotifRecovery.Labels(Embeddings, 7, _ => true);
        Assert.Equal([0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1], both);
    }

    [Fact]
    public void Auprc_PerfectRanking_IsOne_AndHandComputedMixedRanking()
    {
        Func<EmbeddedMotif, bool> gata = m => m.Name.StartsWith("GATA", StringComparison.Ordinal);
        float[] labels = MotifRecovery.Labels(Embeddings, 7, gata);
        var perfect = new Tensor(labels.ToArray(), 2, 7);
        Assert.Equal(1.0, MotifRecovery.Auprc(perfect, Embeddings, gata), 12);

        // Scores: positives at 0.9, 0.5, 0.2, 0.1; one negative at 0.8, the others 0. Ranking: P N P P P.
        // AP = 1/4·(1/1 + 2/3 + 3/4 + 4/5).
        var scores = new float[14];
        scores[1] = 0.9f;
        scores[2] = 0.5f;
        scores[12] = 0.2f;
        scores[13] = 0.1f;
        scores[3] = 0.8f;
        double expected = (1.0 + (2.0 / 3) + (3.0 / 4) + (4.0 / 5)) / 4;
        Assert.Equal(expected, MotifRecovery.Auprc(new Tensor(scores, 2, 7), Embeddings, gata), 12);
    }

    [Fact]
    public void Auprc_WrongShape_Throws()
    {
        Assert.Throws<ArgumentException>(() => MotifRecovery.Auprc(new Tensor(3, 7), Embeddings, _ => true));
    }
}
