package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.sampling.Generation;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Time spent inside {@code Policy.generate}, and what it produced: the seam a benchmark uses to
 * split a rollout's wall time into model time and everything around it (chat rendering,
 * tokenization, decoding, bookkeeping). Costs two clock reads per batched call. Thread-safe.
 */
public final class ModelTimer {

    private final LongAdder nanos = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private final LongAdder tokens = new LongAdder();

    /** Runs one batched generation, counting its time and generated tokens. */
    public List<Generation> time(Supplier<List<Generation>> generation) {
        long start = System.nanoTime();
        List<Generation> out = generation.get();
        nanos.add(System.nanoTime() - start);
        calls.increment();
        tokens.add(out.stream().mapToLong(g -> g.tokenIds().length).sum());
        return out;
    }

    /** Nanoseconds inside generation calls so far. */
    public long nanos() {
        return nanos.sum();
    }

    /** Batched generation calls so far. */
    public long calls() {
        return calls.sum();
    }

    /** Tokens those calls generated, judge answers included. */
    public long tokens() {
        return tokens.sum();
    }
}
