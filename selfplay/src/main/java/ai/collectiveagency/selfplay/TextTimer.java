package ai.collectiveagency.selfplay;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Time spent between text and token ids: rendering chat templates, encoding prompts, decoding
 * generated ids. With {@link ModelTimer} the seam a benchmark uses to split a rollout's wall time
 * (the model, the text work around it, the rest); the caller times a whole loop of prompts at
 * once where it can, so the cost is two clock reads per batch or per sequence. Thread-safe.
 */
public final class TextTimer {

    private final LongAdder nanos = new LongAdder();

    /** Runs {@code work}, counting its time. */
    public <T> T time(Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            nanos.add(System.nanoTime() - start);
        }
    }

    /** Nanoseconds of text work so far. */
    public long nanos() {
        return nanos.sum();
    }
}
