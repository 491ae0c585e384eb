using System.CommandLine;
using System.Globalization;
using SeqLens.Import;
using SeqLens.IO.Models;

namespace SeqLens.Cli.Commands;

/// <summary><c>seqlens import</c>: converts a Keras, ONNX or PyTorch model into a SeqLens model folder.</summary>
internal static class ImportCommand
{
    internal static Command Create(CliConsole console)
    {
        var keras = new Option<string?>("--keras") { Description = "Keras model: a JSON architecture (with --weights) or a full-model .h5." };
        var onnx = new Option<string?>("--onnx") { Description = "ONNX model file (opset >= 11)." };
        var torch = new Option<string?>("--torch") { Description = "PyTorch state dict (.pt/.pth), mapped by parameter name onto --spec." };
        var spec = new Option<string?>("--spec") { Description = "SeqLens model.json describing the graph, for --torch." };
        var weights = new Option<string?>("--weights") { Description = "Keras HDF5 weights, for a Keras JSON." };
        var flip = new Option<string>("--theano-flip") { Description = "Reverse Keras kernels along the width (Theano true convolution): auto (from the file), on, off.", DefaultValueFactory = _ => "auto" };
        flip.AcceptOnlyFromAmong("auto", "on", "off");
        var length = new Option<int?>("--length") { Description = "Input length for models whose length is symbolic." };
        var output = new Option<string>("--out") { Description = "Output folder (model.json + model.safetensors).", Required = true };
        var command = new Command("import", "Import a Keras, ONNX or PyTorch model into a SeqLens model folder (every command also reads these directly through --model).")
        {
            keras, onnx, torch, spec, weights, flip, length, output,
        };
        command.SetAction(parseResult =>
        {
            string? k = parseResult.GetValue(keras), o = parseResult.GetValue(onnx), t = parseResult.GetValue(torch);
            int given = (k is null ? 0 : 1) + (o is null ? 0 : 1) + (t is null ? 0 : 1);
            if (given != 1)
            {
                throw new ArgumentException("give exactly one of --keras, --onnx or --torch.");
            }

            bool? theano = parseResult.GetValue(flip) switch { "on" => true, "off" => false, _ => null };
            int? len = parseResult.GetValue(length);
            LoadedModel loaded;
            if (t is not null)
            {
                string s = parseResult.GetValue(spec) ?? throw new ArgumentException("--torch needs --spec model.json: a state dict holds weights, not the graph.");
                loaded = ModelLoader.Load(s, t);
            }
            else if (o is not null)
            {
                loaded = ModelLoader.Load(o, inputLength: len);
            }
            else
            {
                loaded = ModelLoader.Load(k!, parseResult.GetValue(weights), theano, len);
            }

            string dir = parseResult.GetValue(output)!;
            ModelFile.Save(loaded.Graph, dir, loaded.Metadata);
            var outputs = loaded.Graph.Outputs;
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import: {loaded.Graph.Nodes.Count} nodes, {loaded.Graph.ParameterCount} parameters, input {string.Join(", ", loaded.Graph.Inputs.Select(i => i.Name + Tensor.FormatShape(i.SampleShape)))}, outputs {string.Join(", ", outputs.Select(x => $"{x.Node.Name} ({x.TaskNames.Count} tasks, {x.Activation.ToString().ToLowerInvariant()})"))} -> {dir}"));
            return 0;
        });
        return command;
    }
}
