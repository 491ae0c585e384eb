using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.IO;
using SeqLens.IO.Torch;

namespace SeqLens.Import.Torch;

/// <summary>
/// Loads a PyTorch <c>state_dict</c> into a SeqLens <see cref="Graph"/> of the same architecture, by parameter name,
/// checking every shape.
/// </summary>
/// <remarks>
/// <para>Name mapping: a SeqLens parameter is called <c>node.local</c> (<see cref="Parameter.Name"/>); it is read from the
/// state-dict key <c>module.local</c>, where <c>module</c> is the node's name or its entry in
/// <see cref="TorchImportOptions.ModulePaths"/>. The local names are PyTorch's: Conv1d and Dense (<c>nn.Conv1d</c>,
/// <c>nn.Linear</c>) <c>weight</c>, <c>bias</c>; BatchNorm1d <c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c> (PyTorch's <c>num_batches_tracked</c> is ignored). The layouts are PyTorch's too: Conv1d weight
/// <c>(Cout, Cin/groups, K)</c>, Dense weight <c>(Out, In)</c>, so tensors are copied as they are. A Conv2d weight
/// <c>(Cout, Cin, 1, K)</c> (DNA models written as 2-D convolutions with 1×k kernels) fills a Conv1d weight
/// <c>(Cout, Cin, K)</c>. Affine parameters are an imported graph's constants, not state, and are not read.
/// For a checkpoint that nests the state dict (<c>{"model": ...}</c>) or a DataParallel one (<c>module.</c>), pass
/// <see cref="TorchStateDict.Sub(string)"/>.</para>
/// <para>Errors (<see cref="ParseException"/> naming the file): every missing key, unexpected key (unless
/// <see cref="TorchImportOptions.IgnoreUnexpected"/>) and shape mismatch is listed in one message; nothing is written
/// into the graph unless all parameters match.</para>
/// <para>The model.json spec loader lives on the <c>training</c> branch, not yet merged: build the graph with
/// <see cref="GraphBuilder"/> (naming nodes like the PyTorch modules) and call <see cref="LoadInto"/>.</para>
/// </remarks>
public static class TorchImporter
{
    /// <summary>Reads the state dict at <paramref name="statePath"/> and loads it into <paramref name="graph"/>.</summary>
    public static void Load(Graph graph, string statePath, TorchImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(statePath);
        LoadInto(graph, TorchStateDict.Load(statePath), options);
    }

    /// <summary>Copies the tensors of <paramref name="stateDict"/> into the parameters of <paramref name="graph"/>.</summary>
    public static void LoadInto(Graph graph, TorchStateDict stateDict, TorchImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(stateDict);
        options ??= new TorchImportOptions();
        var missing = new List<string>();
        var mismatched = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<(Parameter Target, TorchTensor Source)>();
        foreach (Node node in graph.Nodes)
        {
            if (node.Op is AffineOp)
            {
                continue;
            }

            string module = options.ModulePaths?.GetValueOrDefault(node.Name) ?? node.Name;
            foreach (Parameter p in node.Op.Parameters)
            {
                string key = module + "." + p.LocalName;
                if (!stateDict.TryGetValue(key, out TorchTensor? t))
                {
                    missing.Add(key == p.Name ? key : $"{key} (for {p.Name})");
                    continue;
                }

                used.Add(key);
                if (!ShapeFits(t.Shape, p.Value.Shape))
                {
                    mismatched.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: the graph expects {Tensor.FormatShape(p.Value.Shape)}, the file has {Tensor.FormatShape(t.Shape.ToArray())}"));
                    continue;
                }

                plan.Add((p, t));
            }
        }

        var unexpected = stateDict.Keys
            .Where(k => !used.Contains(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal) && k != "num_batches_tracked")
            .ToList();
        if (options.IgnoreUnexpected)
        {
            unexpected.Clear();
        }

        if (missing.Count + mismatched.Count + unexpected.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing keys: {string.Join(", ", missing)}");
            }

            if (unexpected.Count > 0)
            {
                parts.Add($"unexpected keys (no parameter reads them): {string.Join(", ", unexpected)}");
            }

            if (mismatched.Count > 0)
            {
                parts.Add($"shape mismatches: {string.Join("; ", mismatched)}");
            }

            throw new ParseException(stateDict.SourcePath, 0, 0, $"the state dict does not match the graph ({string.Join(". ", parts)}). Graph parameters: {string.Join(", ", graph.Parameters.Select(p => p.Name))}");
        }

        foreach ((Parameter target, TorchTensor source) in plan)
        {
            source.ToFloat32().CopyTo(target.Value.Data, 0);
        }
    }

    private static bool ShapeFits(IReadOnlyList<int> file, int[] graph)
    {
        if (file.SequenceEqual(graph))
        {
            return true;
        }

        // Conv2d (Cout, Cin, 1, K) into Conv1d (Cout, Cin, K).
        return graph.Length == 3 && file.Count == 4 && file[2] == 1 && file[0] == graph[0] && file[1] == graph[1] && file[3] == graph[2];
    }
}
