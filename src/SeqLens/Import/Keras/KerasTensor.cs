using SeqLens.Graphs;

namespace SeqLens.Import.Keras;

/// <summary>
/// A Keras tensor as held in our graph: node <see cref="Node"/> has per-sample axes <see cref="Axes"/> (indices into
/// the Keras shape), and every Keras axis not listed has size 1. E.g. Keras channels-last <c>(L, C)</c> held as our
/// <c>(C, L)</c> has <c>Axes = [1, 0]</c>; Theano <c>(C, 1, W)</c> held as <c>(C, W)</c> has <c>Axes = [0, 2]</c>.
/// </summary>
internal sealed record KerasTensor(Node Node, int[] KerasShape, int[] Axes)
{
    /// <summary>A tensor held in Keras order.</summary>
    public static KerasTensor InKerasOrder(Node node) => new(node, (int[])node.SampleShape.Clone(), Enumerable.Range(0, node.SampleShape.Length).ToArray());

    public int Rank => KerasShape.Length;
}
