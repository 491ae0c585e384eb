using SeqLens.IO;
using SeqLens.IO.Torch;
using static SeqLens.Tests.IO.Torch.TorchFiles;

namespace SeqLens.Tests.IO.Torch;

/// <summary>Hand-built malicious pickles (tools/make_torch_fixtures.py): rejected, and nothing runs.</summary>
public class TorchUnsafePickleTests
{
    private const string Marker = "/tmp/seqlens_importfmt_pwned_";

    [Theory]
    [InlineData("os_system", "global 'os.system' is not allowed")]
    [InlineData("posix_system", "global 'posix.system' is not allowed")]
    [InlineData("builtins_eval", "global 'builtins.eval' is not allowed")]
    [InlineData("subprocess_popen", "global 'subprocess.Popen' is not allowed")]
    [InlineData("load_from_bytes", "global 'torch.storage._load_from_bytes' is not allowed")]
    [InlineData("stack_global", "global 'os.system' is not allowed")]
    [InlineData("nested", "global 'os.system' is not allowed")]
    [InlineData("inst", "opcode 0x69 (INST, imports and calls a global) is not allowed")]
    public void Load_MaliciousPickle_IsRejectedAndNothingRuns(string name, string expected)
    {
        string marker = Marker + name;
        File.Delete(marker);
        string path = Fixture($"evil_{name}.pt");

        ParseException ex = Assert.Throws<ParseException>(() => TorchStateDict.Load(path));

        Assert.Equal(path, ex.Path);
        Assert.Contains("archive/data.pkl byte ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), $"the payload of evil_{name}.pt ran: {marker} exists");
    }

    [Fact]
    public void Read_ForbiddenGlobalAfterValidTensor_IsRejectedAtTheGlobal()
    {
        byte[] good = TensorPickle("FloatStorage", 4, 0, [4], [1]);
        // Splice "bad": builtins.exec("...") into the dict before SETITEMS.
        byte[] evil = [.. good[..^2], .. Unicode("bad"), .. Global("builtins", "exec"), .. Unicode("import os"), 0x85, (byte)'R', (byte)'u', (byte)'.'];
        byte[] zip = Archive(evil, ("0", FloatStorage(4)));

        ParseException ex = Assert.Throws<ParseException>(() => TorchStateDict.Read(new MemoryStream(zip), "evil.pt"));

        Assert.Contains("global 'builtins.exec' is not allowed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("torch", "ComplexFloatStorage")]
    [InlineData("torch", "QInt8Storage")]
    [InlineData("torch.storage", "UntypedStorage")]
    [InlineData("torch._utils", "_rebuild_from_type_v2")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    public void Read_GlobalOutsideTheAllowList_IsRejected(string module, string name)
    {
        byte[] pickle = [0x80, 0x02, .. Global(module, name), (byte)'.'];

        ParseException ex = Assert.Throws<ParseException>(() => TorchStateDict.Read(new MemoryStream(Archive(pickle)), "x.pt"));

        Assert.Contains($"global '{module}.{name}' is not allowed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CallingAStorageClass_IsRejected()
    {
        byte[] pickle = [0x80, 0x02, .. Global("torch", "FloatStorage"), (byte)')', (byte)'R', (byte)'.'];

        ParseException ex = Assert.Throws<ParseException>(() => TorchStateDict.Read(new MemoryStream(Archive(pickle)), "x.pt"));

        Assert.Contains("torch.FloatStorage cannot be called", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BuildOnATensor_IsRejected()
    {
        byte[] good = TensorPickle("FloatStorage", 4, 0, [4], [1]);
        // BUILD with a dict state right after the tensor's REDUCE: would set attributes on it.
        int reduce = good.Length - 3; // ... 'R' 'u' '.'
        byte[] pickle = [.. good[..(reduce + 1)], (byte)'}', (byte)'b', .. good[(reduce + 1)..]];

        ParseException ex = Assert.Throws<ParseException>(() => TorchStateDict.Read(new MemoryStream(Archive(pickle, ("0", FloatStorage(4)))), "x.pt"));

        Assert.Contains("BUILD on a Tensor", ex.Message, StringComparison.Ordinal);
    }
}
