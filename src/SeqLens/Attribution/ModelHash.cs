using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>
/// A fingerprint of a model recorded with every attribution result: SHA-256 over each node's name, op kind, inputs,
/// attributes and parameter values (float32 little-endian bytes), in topological order; written <c>sha256:&lt;hex&gt;</c>.
/// </summary>
public static class ModelHash
{
    /// <summary>The hash of <paramref name="graph"/>.</summary>
    public static string Compute(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Node node in graph.Nodes)
        {
            var attributes = new JsonObject();
            node.Op.WriteAttributes(attributes);
            string head = node.Name + "\u0001" + node.Op.Kind + "\u0001" + string.Join("\u0002", node.Inputs.Select(i => i.Name)) + "\u0001" + attributes.ToJsonString() + "\u0003";
            sha.AppendData(Encoding.UTF8.GetBytes(head));
            foreach (Parameter p in node.Op.Parameters)
            {
                sha.AppendData(Encoding.UTF8.GetBytes(p.LocalName + "\u0004"));
                sha.AppendData(MemoryMarshal.AsBytes(p.Value.Data.AsSpan()));
            }
        }

        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
