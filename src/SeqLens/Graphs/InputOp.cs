using System.Text.Json.Nodes;

namespace SeqLens.Graphs;

/// <summary>A graph input of fixed per-sample shape, e.g. <c>(4, 600)</c> for one-hot DNA. Its value is supplied by the caller.</summary>
public sealed class InputOp : Op
{
    /// <summary>An input whose samples have shape <paramref name="sampleShape"/>.</summary>
    public InputOp(int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        SampleShape = (int[])sampleShape.Clone();
    }

    /// <summary>The shape of one sample.</summary>
    public int[] SampleShape { get; }

    /// <inheritdoc/>
    public override string Kind => "Input";

    /// <inheritdoc/>
    public override int InputCount => 0;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes) => [1, .. SampleShape];

    /// <inheritdoc/>
    public override void Forward(ForwardContext context) => throw new InvalidOperationException("Input values are supplied by the executor.");

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["shape"] = new JsonArray(SampleShape.Select(d => (JsonNode)d).ToArray());
    }
}
