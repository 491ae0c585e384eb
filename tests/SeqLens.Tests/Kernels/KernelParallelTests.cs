using System.Runtime.CompilerServices;
using SeqLens.Kernels;

namespace SeqLens.Tests.Kernels;

public unsafe class KernelParallelTests
{
    private static int _live;
    private static int _violations;

    [Fact]
    public void Run_ManyShortCalls_EveryChunkOnceAndNoParticipantOutsideItsCall()
    {
        // Short calls often end before the helper wakes up: the caller then does every chunk and drops the helper's
        // place; that late wake-up must join a later call or nothing, never run on an ended call's state.
        Volatile.Write(ref _violations, 0);
        for (int call = 1; call <= 5000; call++)
        {
            var job = new Job { Generation = call, Chunks = 1 + (call % 3), Spin = call % 7 == 0 ? 2000 : 0 };
            Volatile.Write(ref _live, call);
            KernelParallel.Run(2, &Body, &job);
            Volatile.Write(ref _live, 0);
            Assert.Equal(job.Chunks, Volatile.Read(ref job.Done));
        }

        Assert.Equal(0, Volatile.Read(ref _violations));
    }

    private static void Body(void* state)
    {
        ref var job = ref Unsafe.AsRef<Job>(state);
        Check(ref job);
        while (Interlocked.Increment(ref job.Next) - 1 < job.Chunks)
        {
            Thread.SpinWait(job.Spin);
            Interlocked.Increment(ref job.Done);
        }

        Check(ref job);
    }

    private static void Check(ref Job job)
    {
        int live = Volatile.Read(ref _live);
        if (live == 0 || live != job.Generation)
        {
            Interlocked.Increment(ref _violations);
        }
    }

    private struct Job
    {
        public int Generation;
        public int Chunks;
        public int Spin;
        public int Next;
        public int Done;
    }
}
