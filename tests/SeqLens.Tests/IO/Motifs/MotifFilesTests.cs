using SeqLens.IO.Motifs;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.IO.Motifs;

public class MotifFilesTests
{
    private const string Transfac = "motifs/JASPAR2024_CORE_vertebrates_non-redundant_pfms_transfac.txt";
    private const string Hocomoco = "motifs/H12CORE_meme_format.meme";
    private const string Pfm = "motifs/JASPAR2022_vertebrates.pfm";
    private const string Bundle = "motifs/PWMEnrich_pfm_vertebrates.txt";
    private const string Tangermeme = "motifs/tangermeme_test.meme";
    private const string Encode = "motifs/encode_motifs.txt.gz";

    [SharedDataFact(Transfac)]
    public void Read_Jaspar2024Transfac_Has879CountMotifs()
    {
        var motifs = TransfacFormat.Read(SharedData.Require(Transfac));
        Assert.Equal(879, motifs.Count);
        Motif ctcf = motifs.Single(m => m.Id == "MA0139.2");
        Assert.Equal("CTCF", ctcf.Name);
        Assert.Equal(MotifMatrixKind.Counts, ctcf.Kind);
        Motif arnt = motifs[0];
        Assert.Equal(("MA0004.1", "Arnt", 6), (arnt.Id, arnt.Name, arnt.Width));
        Assert.Equal(new double[] { 4, 16, 0, 0, 19, 0, 1, 0 }, arnt.Matrix[..8].ToArray());
        Assert.Equal(20, arnt.Sites);
        Assert.Equal("MA0004.1 Arnt ; From JASPAR", arnt.Description);
    }

    [SharedDataFact(Hocomoco)]
    public void Read_Hocomoco12Meme_Has1443Motifs()
    {
        MemeFile file = MemeFormat.Read(SharedData.Require(Hocomoco));
        Assert.Equal(1443, file.Motifs.Count);
        Assert.Equal("4", file.Version);
        Assert.Equal("+ -", file.Strands);
        Motif ahr = file.Motifs[0];
        Assert.Equal(("AHR.H12CORE.0.P.B", 10, 1003.0), (ahr.Id, ahr.Width, ahr.Sites!.Value));
        Assert.Equal(0.1754735792622134, ahr[0, 0]);
        Assert.Equal("https://hocomoco12.autosome.org/motif/AHR.H12CORE.0.P.B", ahr.Url);
        Assert.Contains(file.Motifs, m => m.Id == "CTCF.H12CORE.0.P.B");
    }

    [SharedDataFact(Pfm)]
    public void Read_Jaspar2022PfmRows_Has838Motifs()
    {
        var motifs = PfmRowsFormat.Read(SharedData.Require(Pfm));
        Assert.Equal(838, motifs.Count);
        Assert.Equal(("MA0004.1_MA0004.1.Arnt", 6), (motifs[0].Id, motifs[0].Width));
        Assert.Equal(new double[] { 4, 16, 0, 0 }, motifs[0].Matrix[..4].ToArray());
    }

    [SharedDataFact(Bundle)]
    public void Read_PwmEnrichClassicBundle_Has205Motifs()
    {
        var motifs = JasparFormat.Read(SharedData.Require(Bundle));
        Assert.Equal(205, motifs.Count);
        Assert.Equal(("MA0004.1", "Arnt", 6), (motifs[0].Id, motifs[0].Name, motifs[0].Width));
        // Classic bundle rows are A, C, G, T across positions: position 1 is A=4, C=16, G=0, T=0.
        Assert.Equal(new double[] { 4, 16, 0, 0, 19, 0, 1, 0 }, motifs[0].Matrix[..8].ToArray());
    }

    [SharedDataFact(Tangermeme)]
    public void Read_TangermemeMeme_Has12Motifs()
    {
        // NOTE: the brief expected 16; the shared file holds 12 MOTIF records (grep -c '^MOTIF' gives 12).
        MemeFile file = MemeFormat.Read(SharedData.Require(Tangermeme));
        Assert.Equal(12, file.Motifs.Count);
        Assert.Equal(["MEOX1_homeodomain_1", "HIC2_MA0738.1", "GCR_HUMAN.H11MO.0.A"], file.Motifs.Take(3).Select(m => m.Id));
        Assert.All(file.Motifs, m => Assert.Equal("none", m.Url));
        Assert.All(file.Motifs, m => Assert.Equal(200, m.Sites));
    }

    [SharedDataFact(Encode)]
    public void Read_EncodeGzip_Has2067MotifsIncludingTalGata()
    {
        var motifs = EncodeMotifsFormat.Read(SharedData.Require(Encode));
        Assert.Equal(2067, motifs.Count);
        Motif gata = motifs.Single(m => m.Id == "GATA_disc1");
        Assert.Equal(10, gata.Width);
        Assert.Equal(0.322751, gata[0, 0]);
        Assert.Equal("GATA1_K562b_encode-Snyder_seq_hsa_r1:MDscan#1#Intergenic", gata.Description);
        Motif tal = motifs.Single(m => m.Id == "TAL1_known1");
        Assert.Equal(16, tal.Width);
        Assert.Equal("TAL1_1\tTal-1beta:E47_transfac_M00065", tal.Description);
    }

    [SharedDataFact(Transfac, Hocomoco, Pfm, Bundle, Tangermeme, Encode)]
    public void Detect_EveryRealFile_PicksTheRightFormat()
    {
        Assert.Equal(MotifFormat.Transfac, MotifFiles.Detect(SharedData.Require(Transfac)));
        Assert.Equal(MotifFormat.Meme, MotifFiles.Detect(SharedData.Require(Hocomoco)));
        Assert.Equal(MotifFormat.PfmRows, MotifFiles.Detect(SharedData.Require(Pfm)));
        Assert.Equal(MotifFormat.Jaspar, MotifFiles.Detect(SharedData.Require(Bundle)));
        Assert.Equal(MotifFormat.Meme, MotifFiles.Detect(SharedData.Require(Tangermeme)));
        Assert.Equal(MotifFormat.Encode, MotifFiles.Detect(SharedData.Require(Encode)));
        Assert.Equal(205, MotifFiles.Read(SharedData.Require(Bundle)).Count);
    }

    [SharedDataFact(Pfm, Bundle)]
    public void Read_Jaspar2022PfmAndClassicBundle_AgreeOnSharedMotifs()
    {
        var rows = PfmRowsFormat.Read(SharedData.Require(Pfm)).ToDictionary(m => m.Id.Split('_')[0]);
        var bundle = JasparFormat.Read(SharedData.Require(Bundle));
        int compared = 0;
        foreach (Motif m in bundle)
        {
            if (rows.TryGetValue(m.Id, out Motif? other))
            {
                Assert.Equal(m.Matrix.ToArray(), other.Matrix.ToArray());
                compared++;
            }
        }

        Assert.True(compared > 20, $"only {compared} motifs in common");
    }

    [SharedDataFact(Hocomoco, Tangermeme)]
    public void MemeWriter_RealFiles_RoundTripIdentically()
    {
        foreach (string file in new[] { Hocomoco, Tangermeme })
        {
            MemeFile original = MemeFormat.Read(SharedData.Require(file));
            var text = new StringWriter();
            MemeFormat.Write(text, original.Motifs, original.Background, original.Strands);
            MemeFile back = MemeFormat.Read(new StringReader(text.ToString()), "written.meme");
            AssertSameMotifs(original.Motifs, back.Motifs);
            Assert.Equal(original.Background, back.Background);
        }
    }

    [SharedDataFact(Transfac, Bundle, Pfm, Encode)]
    public void Writers_RealFiles_RoundTripIdentically()
    {
        var transfac = TransfacFormat.Read(SharedData.Require(Transfac));
        AssertSameMotifs(transfac, TransfacFormat.Read(new StringReader(Written(w => TransfacFormat.Write(w, transfac))), "t"));
        AssertSameMotifs(transfac, JasparFormat.Read(new StringReader(Written(w => JasparFormat.Write(w, transfac))), "j"), ignoreDescription: true);
        var bundle = JasparFormat.Read(SharedData.Require(Bundle));
        AssertSameMotifs(bundle, JasparFormat.Read(new StringReader(Written(w => JasparFormat.Write(w, bundle))), "j"));
        var pfm = PfmRowsFormat.Read(SharedData.Require(Pfm));
        AssertSameMotifs(pfm, PfmRowsFormat.Read(new StringReader(Written(w => PfmRowsFormat.Write(w, pfm))), "p"));
        var encode = EncodeMotifsFormat.Read(SharedData.Require(Encode));
        AssertSameMotifs(encode, EncodeMotifsFormat.Read(new StringReader(Written(w => EncodeMotifsFormat.Write(w, encode))), "e"));
    }

    [Fact]
    public void Write_ToFile_IsAtomicAndDetectable()
    {
        string dir = Path.Combine(Path.GetTempPath(), "seqlens-motifs-" + Guid.NewGuid().ToString("N"));
        try
        {
            Motif m = Motif.FromConsensus("GATA", "WGATAR");
            foreach (MotifFormat format in Enum.GetValues<MotifFormat>())
            {
                string path = Path.Combine(dir, "m." + format);
                MotifFiles.Write(path, [m], format);
                Assert.Equal(format, MotifFiles.Detect(path));
                Motif back = MotifFiles.Read(path).Single();
                Assert.Equal(m.Id, back.Id);
                Assert.Equal(m.Width, back.Width);
                double[] expected = m.Probabilities(), actual = back.Probabilities();
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.Equal(expected[i], actual[i], 12);
                }
            }

            Assert.Equal(Enum.GetValues<MotifFormat>().Length, Directory.GetFiles(dir).Length); // no temp files left
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Written(Action<TextWriter> write)
    {
        var w = new StringWriter();
        write(w);
        return w.ToString();
    }

    private static void AssertSameMotifs(IReadOnlyList<Motif> expected, IReadOnlyList<Motif> actual, bool ignoreDescription = false)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Motif e = expected[i], a = actual[i];
            if (ignoreDescription)
            {
                Assert.Equal((e.Id, e.Name, e.Kind, e.Sites), (a.Id, a.Name, a.Kind, a.Sites));
                Assert.Equal(e.Matrix.ToArray(), a.Matrix.ToArray());
            }
            else
            {
                Assert.True(e.ContentEquals(a), $"motif {i} ({e.Id}) differs after the round trip");
            }
        }
    }
}
