using System.Globalization;
using SeqLens.Graphs.Ops;

namespace SeqLens.Graphs;

// Recurrent layers, composed from primitive ops.
public sealed partial class GraphBuilder
{
    /// <summary>Reverses the length axis (the last one).</summary>
    public Node Reverse(Node x, string? name = null) => Add(new ReverseOp(), [x], name);

    /// <summary>
    /// A QRNN layer stack (Bradbury et al. 2016) on <c>(channels, length)</c> → <c>(hidden·directions, length)</c>.
    /// </summary>
    /// <param name="x">Input node <c>(C, L)</c>.</param>
    /// <param name="hidden">Hidden channels H per direction.</param>
    /// <param name="kernelWidth">Width k of the masked convolution (default 2, the paper's choice for most tasks).</param>
    /// <param name="layers">Stacked layers (default 1); layer i+1 reads layer i's output.</param>
    /// <param name="bidirectional">Also run each layer on the reversed sequence and concatenate the channels [forward; backward].</param>
    /// <param name="zoneout">Zoneout probability on the forget gate, in training only (default 0); see <see cref="QuasiRecurrentPoolOp"/>.</param>
    /// <param name="name">Name of the output node (default <c>qrnn_N</c>); inner nodes are <c>name.l{i}[.fwd|.bwd].conv|pool|rev|unrev</c>.</param>
    /// <remarks>
    /// Per layer and direction: a causal ("masked") Conv1d to 3H channels, zero-padded by k − 1 on the left so that
    /// position t sees inputs t − k + 1 … t; then <see cref="QuasiRecurrentPoolOp"/> (activations + fo-pooling, initial
    /// state zero). The backward direction is Reverse → conv → pool → Reverse, so it sees t … t + k − 1 and the suffix.
    /// </remarks>
    public Node Qrnn(Node x, int hidden, int kernelWidth = 2, int layers = 1, bool bidirectional = false, float zoneout = 0f, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRank(x, 2, "Qrnn", "(channels, length)");
        if (hidden <= 0 || kernelWidth <= 0 || layers <= 0)
        {
            throw new ArgumentException($"Qrnn needs hidden, kernelWidth and layers ≥ 1; got {hidden}, {kernelWidth}, {layers}.");
        }

        if (name is null)
        {
            int n = 0;
            do
            {
                n++;
                name = "qrnn_" + n.ToString(CultureInfo.InvariantCulture);
            }
            while (_names.Contains(name) || _names.Contains(name + ".l0.conv") || _names.Contains(name + ".l0.fwd.conv"));
        }

        Node current = x;
        for (int layer = 0; layer < layers; layer++)
        {
            bool last = layer == layers - 1;
            string prefix = name + ".l" + layer.ToString(CultureInfo.InvariantCulture);
            if (!bidirectional)
            {
                current = Direction(current, prefix, last ? name : null, reverse: false);
                continue;
            }

            Node forward = Direction(current, prefix + ".fwd", null, reverse: false);
            Node backward = Direction(current, prefix + ".bwd", null, reverse: true);
            current = Concat([forward, backward], 1, last ? name : prefix);
        }

        return current;

        Node Direction(Node input, string prefix, string? outName, bool reverse)
        {
            Node source = reverse ? Reverse(input, prefix + ".rev") : input;
            Node gates = Conv1d(source, 3 * hidden, kernelWidth, padding: Padding.Explicit(kernelWidth - 1, 0), name: prefix + ".conv");
            Node pooled = Add(new QuasiRecurrentPoolOp(hidden, zoneout), [gates], reverse ? prefix + ".pool" : outName ?? prefix + ".pool");
            return reverse ? Reverse(pooled, prefix + ".unrev") : pooled;
        }
    }
}
