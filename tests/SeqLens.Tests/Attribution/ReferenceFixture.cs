using System.Text.Json;
using SeqLens.Attribution;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution;

/// <summary>Reads the inputs of the PyTorch reference fixtures (tools/attribution_reference.py, tools/revealcancel_reference.py).</summary>
internal static class ReferenceFixture
{
    /// <summary>Copies every parameter of <paramref name="g"/> from <paramref name="parameters"/> (<c>{"node": {"weight": [...]}}</c>).</summary>
    public static void SetParameters(Graph g, JsonElement parameters)
    {
        foreach (Parameter p in g.Parameters)
        {
            string[] parts = p.Name.Split('.');
            float[] values = AttributionAssert.Floats(parameters.GetProperty(parts[0]).GetProperty(parts[1]));
            Assert.Equal(p.Value.Length, values.Length);
            values.CopyTo(p.Value.Data, 0);
        }
    }

    /// <summary>The one-hot sequences <c>x</c> and their stored <c>references</c> (<paramref name="refs"/> per sequence) of <paramref name="holder"/>.</summary>
    public static (Tensor X, AttributionReferences References) Inputs(JsonElement holder, int length, int refs, string description)
    {
        float[] xs = AttributionAssert.Floats(holder.GetProperty("x"));
        float[] r = AttributionAssert.Floats(holder.GetProperty("references"));
        return (new Tensor(xs, xs.Length / (4 * length), 4, length),
            AttributionReferences.PerSequence(new Tensor(r, r.Length / (4 * length), 4, length), refs, description));
    }
}
