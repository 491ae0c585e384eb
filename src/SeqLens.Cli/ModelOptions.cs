using System.CommandLine;
using SeqLens.Import;
using SeqLens.IO.Models;

namespace SeqLens.Cli;

/// <summary>The <c>--model</c> / <c>--weights</c> pair every command that runs a model shares (any format <see cref="ModelLoader"/> reads).</summary>
internal sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model")
    {
        Description = "Model: a SeqLens folder or model.json, an .onnx file, a Keras .h5, or a Keras .json with --weights.",
        Required = true,
    };

    public Option<string?> Weights { get; } = new("--weights")
    {
        Description = "Weights for --model: Keras HDF5 for a Keras JSON; a PyTorch state dict or .safetensors for a SeqLens spec.",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Weights);
    }

    /// <summary>Loads the model the options name.</summary>
    public LoadedModel Load(ParseResult parseResult) => ModelLoader.Load(parseResult.GetValue(Model)!, parseResult.GetValue(Weights));
}
