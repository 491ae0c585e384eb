using SeqLens.IO;
using SeqLens.IO.Onnx;

namespace SeqLens.Tests.IO.Onnx;

/// <summary>Seeded random corruptions of real fixtures: the reader either decodes or throws a ParseException.</summary>
public class OnnxMutationTests
{
    [Theory]
    [InlineData("cnn_opset13.onnx", 1)]
    [InlineData("typed_fields.onnx", 2)]
    [InlineData("reshape_opset13.onnx", 3)]
    public void Parse_RandomCorruptions_OnlyEverThrowParseException(string file, int seed)
    {
        byte[] original = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx", file));
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] mutant = Mutate(original, Rng.For(seed, trial));
            try
            {
                OnnxModel model = OnnxModel.Parse(mutant, "mutant.onnx");
                _ = model.Graph.Nodes.Count;
            }
            catch (ParseException ex)
            {
                Assert.Equal("mutant.onnx", ex.Path);
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{file} trial {trial}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.InRange(rejected, 40, 400); // the corruptions do hit the checks
    }

    internal static byte[] Mutate(byte[] original, Rng rng)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + rng.NextInt(3);
        for (int e = 0; e < edits && bytes.Count > 1; e++)
        {
            int at = rng.NextInt(bytes.Count);
            switch (rng.NextInt(4))
            {
                case 0: bytes[at] = (byte)rng.NextInt(256); break;
                case 1: bytes[at] ^= (byte)(1 << rng.NextInt(8)); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.Insert(at, (byte)rng.NextInt(256)); break;
            }
        }

        return [.. bytes];
    }
}
