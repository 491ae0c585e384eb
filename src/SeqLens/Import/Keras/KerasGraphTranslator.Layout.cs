using SeqLens.Graphs;

namespace SeqLens.Import.Keras;

// Layout bookkeeping: bringing a Keras tensor into the axis order a layer needs.
internal sealed partial class KerasGraphTranslator
{
    /// <summary>
    /// A node holding <paramref name="x"/> with per-sample axes <paramref name="order"/> (Keras axis indices; every Keras
    /// axis left out must have size 1). Adds nothing when the node already has that layout, a Reshape when only unit
    /// axes move, and otherwise Reshape (drop unit axes) → Transpose → Reshape (restore unit axes) as needed.
    /// </summary>
    private Node Arrange(KerasTensor x, int[] order, string stem)
    {
        for (int a = 0; a < x.Rank; a++)
        {
            if (!order.Contains(a) && x.KerasShape[a] != 1)
            {
                throw new ArgumentException($"axis {a + 1} of the Keras shape {KerasShape(x.KerasShape)} has size {x.KerasShape[a]}, but this layer needs it to be 1.");
            }
        }

        int[] wantShape = order.Select(a => x.KerasShape[a]).ToArray();
        int[] current = x.Axes.Where(a => x.KerasShape[a] != 1).ToArray();
        int[] wanted = order.Where(a => x.KerasShape[a] != 1).ToArray();
        Node n = x.Node;
        if (current.SequenceEqual(wanted))
        {
            return n.SampleShape.SequenceEqual(wantShape) ? n : _builder.Reshape(n, wantShape, NodeName("_" + stem));
        }

        int[] squeezed = current.Select(a => x.KerasShape[a]).ToArray();
        if (!n.SampleShape.SequenceEqual(squeezed))
        {
            n = _builder.Reshape(n, squeezed, NodeName("_squeeze"));
        }

        int[] permutation = [0, .. wanted.Select(a => Array.IndexOf(current, a) + 1)];
        n = _builder.Transpose(n, permutation, NodeName("_transpose"));
        if (!n.SampleShape.SequenceEqual(wantShape))
        {
            n = _builder.Reshape(n, wantShape, NodeName("_unsqueeze"));
        }

        _notes.Add($"transposed to Keras axis order ({string.Join(", ", order)})");
        return n;
    }

    /// <summary>
    /// A node whose row-major element order is that of <paramref name="x"/> in Keras axis order <paramref name="order"/>
    /// (for Flatten and Reshape): the node itself when the non-unit axes are already in that order.
    /// </summary>
    private Node InElementOrder(KerasTensor x, int[] order)
    {
        int[] current = x.Axes.Where(a => x.KerasShape[a] != 1).ToArray();
        int[] wanted = order.Where(a => x.KerasShape[a] != 1).ToArray();
        return current.SequenceEqual(wanted) ? x.Node : Arrange(x, order, "layout");
    }

    private static int[] Identity(int rank) => Enumerable.Range(0, rank).ToArray();

    private static string KerasShape(int[] shape) => "(" + string.Join(", ", shape) + ")";

    /// <summary>Keras axis argument (batch = 0, negative from the end) to a per-sample axis.</summary>
    private static int SampleAxis(int axis, int rank)
    {
        int a = axis < 0 ? rank + axis : axis - 1;
        if (a < 0 || a >= rank)
        {
            throw new ArgumentException($"axis {axis} is out of range for a tensor of shape (batch, {string.Join(", ", Enumerable.Repeat("…", rank))}) of rank {rank + 1}.");
        }

        return a;
    }
}
