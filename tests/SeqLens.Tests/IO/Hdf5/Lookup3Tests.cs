using System.Text;
using SeqLens.IO.Hdf5;

namespace SeqLens.Tests.IO.Hdf5;

public class Lookup3Tests
{
    [Fact]
    public void Hash_KnownAnswers_FromLookup3Driver()
    {
        // Bob Jenkins' lookup3.c driver5: hashlittle("", 0, 0) and of "Four score and seven years ago".
        Assert.Equal(0xdeadbeefu, Lookup3.Hash([]));
        Assert.Equal(0x17770551u, Lookup3.Hash(Encoding.ASCII.GetBytes("Four score and seven years ago")));
        Assert.Equal(0xcd628161u, Lookup3.Hash(Encoding.ASCII.GetBytes("Four score and seven years ago"), 1));
    }

    [Fact]
    public void Fletcher32_MatchesHandComputation()
    {
        // Words 0x0102 and 0x0304: sum1 = 0x0406, sum2 = 0x0102 + 0x0406 = 0x0508.
        Assert.Equal(0x05080406u, FilterPipeline.Fletcher([1, 2, 3, 4]));
    }
}
