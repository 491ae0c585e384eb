using SeqLens.IO;
using SeqLens.IO.Torch;
using SeqLens.Tests.IO.Onnx;
using static SeqLens.Tests.IO.Torch.TorchFiles;

namespace SeqLens.Tests.IO.Torch;

/// <summary>Seeded random corruptions: the reader either decodes or throws a ParseException, never anything else.</summary>
public class TorchMutationTests
{
    [Theory]
    [InlineData("checkpoint.pt", 1)]
    [InlineData("views_and_dtypes.pt", 2)]
    public void Read_CorruptedPickleInAValidZip_OnlyEverThrowsParseException(string file, int seed)
    {
        List<(string Name, byte[] Bytes)> entries = Entries(file);
        int pkl = entries.FindIndex(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal));
        int rejected = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var mutant = new List<(string Name, byte[] Bytes)>(entries);
            mutant[pkl] = (entries[pkl].Name, OnnxMutationTests.Mutate(entries[pkl].Bytes, Rng.For(seed, trial)));
            rejected += ReadOrReject(Zip([.. mutant]), $"{file} trial {trial}");
        }

        Assert.InRange(rejected, 30, 300);
    }

    [Fact]
    public void Read_CorruptedArchiveBytes_OnlyEverThrowParseException()
    {
        byte[] original = File.ReadAllBytes(Fixture("conv_bn_linear.pt"));
        int rejected = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            rejected += ReadOrReject(OnnxMutationTests.Mutate(original, Rng.For(3, trial)), $"trial {trial}");
        }

        Assert.InRange(rejected, 30, 300);
    }

    private static int ReadOrReject(byte[] bytes, string what)
    {
        try
        {
            TorchStateDict dict = TorchStateDict.Read(new MemoryStream(bytes), "mutant.pt");
            foreach (TorchTensor t in dict.Values)
            {
                _ = t.ToFloat32();
            }

            return 0;
        }
        catch (ParseException ex)
        {
            Assert.Equal("mutant.pt", ex.Path);
            return 1;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {ex.GetType().Name}: {ex.Message}");
            return 0;
        }
    }
}
