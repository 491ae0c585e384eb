namespace SeqLens.Kernels;

/// <summary>
/// A tiny allocation-free fork/join for the kernels: the calling thread and up to
/// <c>degree − 1</c> persistent background workers each run the same body once on a shared state.
/// </summary>
/// <remarks>
/// The body divides the work itself (the kernels hand out chunks from a counter in the state), so how many
/// participants actually show up changes speed only. When another thread already uses the workers the
/// call runs on the caller alone instead of queueing: kernels are deterministic for any thread count.
/// A helper that has not started by the time the caller's body returns (the caller then did its chunks too) is
/// released from the call, so a busy machine that does not schedule the helper promptly never makes the caller wait
/// for a helper with nothing left to do; the caller waits only for helpers that took part.
/// </remarks>
internal static unsafe class KernelParallel
{
    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Start = new(0);
    private static readonly List<Thread> Workers = [];
    private static delegate*<void*, void> _body;
    private static void* _state;
    private static int _pending;

    /// <summary>Helper places of the current call not yet taken; a wake-up that finds none is a no-op.</summary>
    private static int _unclaimed;

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
            Volatile.Write(ref _unclaimed, helpers);
            Start.Release(helpers);
            try
            {
                body(state);
            }
            finally
            {
                // Helpers that have not claimed a place yet are not coming in time: the body left no work for them
                // (its chunks come from a counter), so drop their places. A later wake-up of such a helper claims a
                // place of a later call or nothing.
                int unstarted = Interlocked.Exchange(ref _unclaimed, 0);
                if (unstarted > 0)
                {
                    Interlocked.Add(ref _pending, -unstarted);
                }

                // The state lives on this thread's stack: never return before every helper that took part is done.
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
            if (Interlocked.Decrement(ref _unclaimed) < 0)
            {
                // The call this wake-up was for has ended (its caller did the work); the count is reset per call.
                continue;
            }

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
