namespace SeqLens.Kernels;

/// <summary>
/// A tiny allocation-free fork/join for the kernels: the calling thread and up to
/// <c>degree − 1</c> persistent background workers each run the same body once on a shared state.
/// </summary>
/// <remarks>
/// The body divides the work itself (the kernels hand out chunks from a counter in the state), so how many
/// participants actually show up changes speed only. When another thread already uses the workers the
/// call runs on the caller alone instead of queueing: kernels are deterministic for any thread count.
/// </remarks>
internal static unsafe class KernelParallel
{
    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Start = new(0);
    private static readonly List<Thread> Workers = [];
    private static delegate*<void*, void> _body;
    private static void* _state;
    private static int _pending;

    /// <summary>Runs <paramref name="body"/>(<paramref name="state"/>) on up to <paramref name="degree"/> threads and waits for all.</summary>
    public static void Run(int degree, delegate*<void*, void> body, void* state)
    {
        if (degree <= 1 || !Monitor.TryEnter(Gate))
        {
            body(state);
            return;
        }

        try
        {
            int helpers = degree - 1;
            while (Workers.Count < helpers)
            {
                var thread = new Thread(WorkerLoop) { IsBackground = true, Name = "SeqLens kernel worker" };
                Workers.Add(thread);
                thread.Start();
            }

            _body = body;
            _state = state;
            Volatile.Write(ref _pending, helpers);
            Start.Release(helpers);
            try
            {
                body(state);
            }
            finally
            {
                // The state lives on this thread's stack: never return before every helper is done with it.
                // NOTE: spin then yield (SpinWait) rather than block on an event: chunks are balanced, so the wait
                // is short, and SpinWait never allocates (an event lazily allocates its lock). Never Thread.Sleep(1):
                // it sleeps a whole millisecond or more, and a caller that finished 0.2 ms before its helper then
                // returned ~1 ms late (1024³ on 2 threads lost a sixth of its speed). Yielding still hands the core
                // to other work while a preempted helper catches up.
                var spin = default(SpinWait);
                while (Volatile.Read(ref _pending) != 0)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
        }
        finally
        {
            _body = null;
            _state = null;
            Monitor.Exit(Gate);
        }
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            Start.Wait();
            var body = _body;
            void* state = _state;
            try
            {
                body(state);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
