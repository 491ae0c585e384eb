using SeqLens.IO;
using SeqLens.IO.Bed;
using SeqLens.IO.BigWig;
using SeqLens.IO.Fasta;
using SeqLens.IO.Gtf;
using SeqLens.IO.Npy;

namespace SeqLens.Tests.IO;

/// <summary>
/// Seeded byte-level corruption of valid files (flipped bytes, truncation, inserted bytes): every reader either
/// succeeds or throws <see cref="ParseException"/>; nothing else escapes and nothing hangs.
/// </summary>
public class CorruptInputTests
{
    private static IEnumerable<byte[]> Mutants(byte[] original, int count, ulong seed)
    {
        var rng = new Rng(seed);
        for (int i = 0; i < count; i++)
        {
            byte[] b = (byte[])original.Clone();
            switch (i % 3)
            {
                case 0:
                    for (int k = 0; k < 1 + rng.NextInt(4); k++)
                    {
                        b[rng.NextInt(b.Length)] = (byte)rng.NextInt(256);
                    }

                    break;
                case 1:
                    b = b[..rng.NextInt(b.Length)];
                    break;
                default:
                    int at = rng.NextInt(b.Length);
                    const string Inserts = "\t\n>;\" 0-9=,%";
                    b = [.. b[..at], (byte)Inserts[rng.NextInt(Inserts.Length)], .. b[at..]];
                    break;
            }

            yield return b;
        }
    }

    private static void AssertOnlyParseErrors(string fixtureArea, string fixture, string extension, Action<string> read, int count = 150)
    {
        using var tmp = IoFixtures.Temp();
        byte[] original = File.ReadAllBytes(IoFixtures.Path(fixtureArea, fixture));
        int i = 0;
        foreach (byte[] m in Mutants(original, count, (ulong)fixture.Length))
        {
            string p = tmp.Write($"m{i++}{extension}", m);
            try
            {
                read(p);
            }
            catch (ParseException ex)
            {
                Assert.StartsWith(p, ex.Path, StringComparison.Ordinal); // npz members are named path:member
            }
            catch (Exception ex)
            {
                Assert.Fail($"mutant {i - 1} of {fixture}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    [Fact]
    public void Fasta_Mutants_OnlyParseExceptions()
        => AssertOnlyParseErrors("Fasta", "basic.fa", ".fa", p => _ = FastaReader.ReadFile(p).Count());

    [Fact]
    public void FastaGzip_Mutants_OnlyParseExceptions()
        => AssertOnlyParseErrors("Fasta", "basic.fa.plain.gz", ".fa.gz", p => _ = FastaReader.ReadFile(p).Count());

    [Fact]
    public void Bgzip_Mutants_OnlyParseExceptions()
        => AssertOnlyParseErrors("Fasta", "basic.fa.bgz", ".fa.gz", p => _ = FastaReader.ReadFile(p).Count());

    [Fact]
    public void Fai_Mutants_OnlyParseExceptions()
        => AssertOnlyParseErrors("Fasta", "basic.fa.fai.samtools", ".fai", p => FaiIndex.Read(p));

    [Fact]
    public void FaiBuild_Mutants_OnlyParseExceptions()
        => AssertOnlyParseErrors("Fasta", "crlf.fa", ".fa", p => FaiIndex.Build(p));

    [Fact]
    public void Npz_Mutants_OnlyParseExceptions()
        => AssertOnlyParseErrors("Interop", "ours_stored.npz", ".npz", p => NpzFile.Read(p));

    [Fact]
    public void Npy_Mutants_OnlyParseExceptions()
        => AssertOnlyParseErrors("Interop", "py_written_v1.npy", ".npy", p => NpyFormat.ReadFile(p));

    [Theory]
    [InlineData("py_written.bw")]
    [InlineData("ours_small_blocks.bw")]
    public void BigWig_Mutants_OnlyParseExceptions(string file)
        => AssertOnlyParseErrors("Interop", file, ".bw", p =>
        {
            using var bw = BigWigReader.Open(p);
            foreach (var (name, size) in bw.Chromosomes)
            {
                bw.Intervals(name, 0, size);
            }

            for (int z = 0; z < bw.ZoomReductions.Count; z++)
            {
                bw.ZoomRecords(z, bw.Chromosomes[0].Name, 0, bw.Chromosomes[0].Size);
            }
        });

    [Fact]
    public void BedAndGtf_Mutants_OnlyParseExceptions()
    {
        using var tmp = IoFixtures.Temp();
        string bed = tmp.Write("x.bed", "chr1\t100\t200\ttx\t0\t+\t110\t190\t255,0,0\t2\t10,20,\t0,80,\nchr2\t5\t50\tb\t3\t-\t5\t50\t0\t1\t45,\t0,\n");
        string gtf = tmp.Write("x.gtf", "chr1\tt\texon\t101\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\nchr1\tt\tCDS\t151\t200\t.\t+\t0\tgene_id \"G1\"; transcript_id \"T1\"; gene_name \"A\";\n");
        foreach (var (path, ext, read) in new (string, string, Action<string>)[]
        {
            (bed, ".bed", p => BedReader.ReadFile(p)),
            (gtf, ".gtf", p => GeneAnnotation.ReadFile(p)),
        })
        {
            byte[] original = File.ReadAllBytes(path);
            int i = 0;
            foreach (byte[] m in Mutants(original, 200, 99))
            {
                string p = tmp.Write($"m{i++}{ext}", m);
                try
                {
                    read(p);
                }
                catch (ParseException ex)
                {
                    Assert.Equal(p, ex.Path);
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{ext} mutant {i - 1}: {ex.GetType().Name}: {ex.Message}\n{System.Text.Encoding.UTF8.GetString(m)}");
                }
            }
        }
    }
}
