using System.Runtime.CompilerServices;
using SeqLens.Kernels;

namespace SeqLens.Graphs;

/// <summary>A piece of row-wise work: <see cref="Run"/> handles rows <c>[first, end)</c>; rows are independent.</summary>
internal interface IRowBody
{
    /// <summary>Processes rows <c>[first, end)</c>.</summary>
    void Run(int first, int end);
}

/// <summary>
/// Splits independent rows of an op's work across <see cref="KernelThreads"/> on the kernel workers, allocating nothing.
/// Deterministic: each row is computed by one thread with the same code whatever the split, so results do not depend on
/// the thread count.
/// </summary>
internal static unsafe class RowParallel
{
    /// <summary>Below this many element operations the work runs on the calling thread.</summary>
    private const long Threshold = 1 << 16;

    /// <summary>Runs <paramref name="body"/> over contiguous row ranges covering <c>0..rows</c>.</summary>
    public static void For<T>(int rows, long workPerRow, ref T body)
        where T : struct, IRowBody
    {
        int degree = Math.Min(KernelThreads.Effective, rows);
        if (degree <= 1 || rows * workPerRow < Threshold)
        {
            body.Run(0, rows);
            return;
        }

        // NOTE: the body and the job live on this thread's stack, which stays blocked in KernelParallel.Run until every
        // worker is done, so the raw pointers handed to the workers remain valid.
        var job = new Job { Rows = rows, Chunks = Math.Min(rows, 4 * degree), Body = Unsafe.AsPointer(ref body) };
        KernelParallel.Run(degree, &Work<T>, &job);
    }

    private static void Work<T>(void* state)
        where T : struct, IRowBody
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        ref T body = ref Unsafe.AsRef<T>(job.Body);
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            int first = (int)((long)job.Rows * chunk / job.Chunks);
            int end = (int)((long)job.Rows * (chunk + 1) / job.Chunks);
            body.Run(first, end);
        }
    }

    private struct Job
    {
        public int Rows;
        public int Chunks;
        public int Next;
        public void* Body;
    }
}
