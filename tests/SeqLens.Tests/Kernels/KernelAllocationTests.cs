using SeqLens.Kernels;

namespace SeqLens.Tests.Kernels;

public class KernelAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GemmConvPool_SteadyState_AllocateNothingOnTheCallingThread(int threads)
    {
        var g = new Conv1dGeometry(4, 4, 40, 300, 19, PadLeft: 9, PadRight: 9);
        var g2 = new Conv1dGeometry(4, 40, 30, 100, 5);
        var x = KernelTestData.Uniform(g.Batch * g.InChannels * g.Length, 1);
        var w = KernelTestData.Uniform(g.OutChannels * g.InChannels * g.KernelSize, 2);
        var bias = KernelTestData.Uniform(g.OutChannels, 3);
        var y = new float[g.Batch * g.OutChannels * g.OutLength];
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[bias.Length];
        var x2 = KernelTestData.Uniform(g2.Batch * g2.InChannels * g2.Length, 4);
        var w2 = KernelTestData.Uniform(g2.OutChannels * g2.InChannels * g2.KernelSize, 5);
        var y2 = new float[g2.Batch * g2.OutChannels * g2.OutLength];
        var dx2 = new float[x2.Length];
        var a = KernelTestData.Uniform(300 * 200, 6);
        var c = new float[300 * 300];
        var argmax = new int[y.Length / 3];
        var pooled = new float[argmax.Length];

        void RunAll()
        {
            Gemm.Multiply(false, true, 300, 300, 200, a, 200, a, 200, c, 300);
            Conv1d.Forward(g, x, w, bias, y, relu: true);
            Conv1d.BackwardInput(g, y, w, dx);
            Conv1d.BackwardWeight(g, x, y, dw, db);
            Conv1d.BackwardInput(g2, y2, w2, dx2);
            Pool1d.MaxForward(g.Batch * g.OutChannels, g.OutLength, 3, 3, 0, g.OutLength / 3, y, pooled, argmax);
        }

        // Warm up on this thread alone first: with workers free, a call may leave all chunks to them, and a later
        // call that finds the workers busy (another test) runs alone and would then allocate this thread's buffers.
        KernelTestData.WithThreads(1, RunAll);
        KernelTestData.WithThreads(threads, () =>
        {
            RunAll();
            long before = GC.GetAllocatedBytesForCurrentThread();
            RunAll();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
        });
    }
}
