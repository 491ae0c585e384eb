namespace SeqLens.Graphs;

/// <summary>A learnable (or stored, like batch-norm running statistics) tensor owned by an op.</summary>
/// <remarks>
/// <see cref="Name"/> is <c>node.local</c> (e.g. <c>conv1.weight</c>) once the op joins a graph; it is the key in
/// <c>model.safetensors</c>. <see cref="Grad"/> accumulates across backward passes until <see cref="ZeroGrad"/>.
/// </remarks>
public sealed class Parameter
{
    /// <summary>A parameter named <paramref name="localName"/> holding <paramref name="value"/>.</summary>
    public Parameter(string localName, Tensor value, bool trainable = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(localName);
        ArgumentNullException.ThrowIfNull(value);
        LocalName = localName;
        Name = localName;
        Value = value;
        Trainable = trainable;
        Grad = trainable ? new Tensor(value.Shape) : new Tensor(0);
    }

    /// <summary>Name inside its op, e.g. <c>weight</c>.</summary>
    public string LocalName { get; }

    /// <summary>Full name, <c>node.local</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>The values.</summary>
    public Tensor Value { get; }

    /// <summary>Accumulated gradient (same shape as <see cref="Value"/> when trainable; empty otherwise).</summary>
    public Tensor Grad { get; }

    /// <summary>False for stored state that optimisers must not touch (running mean/variance).</summary>
    public bool Trainable { get; }

    /// <summary>Sets <see cref="Grad"/> to zero.</summary>
    public void ZeroGrad() => Array.Clear(Grad.Data);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Tensor.FormatShape(Value.Shape)}";
}
