using SeqLens.Graphs;
using SeqLens.Import.Keras;
using SeqLens.Sequences;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Import.Keras;

/// <summary>Our imported graphs against independent numpy forward passes (tools/make_keras_fixtures.py).</summary>
public sealed class KerasReferenceTests
{
    [SharedDataFact(KerasRealModelTests.TalGataJson, KerasRealModelTests.TalGataWeights)]
    public void TalGata_MatchesNumpyForwardPass()
    {
        var reference = KerasFixtures.Json("talgata_reference.json");
        Graph graph = KerasImporter.Import(SharedData.Require(KerasRealModelTests.TalGataJson), SharedData.Require(KerasRealModelTests.TalGataWeights));
        string[] sequences = reference["sequences"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray();
        Tensor logits = new Executor(graph).Forward(OneHot.Encode(sequences));
        KerasFixtures.AssertClose(KerasFixtures.Matrix(reference["logits"]), logits);
    }

    [SharedDataFact(KerasRealModelTests.Ctcf)]
    public void DeepResolveCtcf_WithFlip_MatchesNumpyTrueConvolution()
    {
        var reference = KerasFixtures.Json("deepresolve_ctcf_reference.json");
        Graph graph = KerasImporter.ImportFullModel(SharedData.Require(KerasRealModelTests.Ctcf));
        string[] sequences = reference["sequences"]!.AsArray().Select(s => s!.GetValue<string>().ToUpperInvariant()).ToArray();
        Tensor logits = new Executor(graph).Forward(OneHot.Encode(sequences, 101));
        KerasFixtures.AssertClose(KerasFixtures.Matrix(reference["logits"]), logits);

        // Without the flip the same weights give different outputs: the reference really tests the flip.
        Graph unflipped = KerasImporter.ImportFullModel(SharedData.Require(KerasRealModelTests.Ctcf), new KerasImportOptions { TheanoKernelFlip = false });
        Tensor other = new Executor(unflipped).Forward(OneHot.Encode(sequences, 101));
        Assert.Throws<Xunit.Sdk.TrueException>(() => KerasFixtures.AssertClose(KerasFixtures.Matrix(reference["logits"]), other));
    }
}
