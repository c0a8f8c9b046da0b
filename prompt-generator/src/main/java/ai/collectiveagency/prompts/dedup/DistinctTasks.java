package ai.collectiveagency.prompts.dedup;

import ai.collectiveagency.schemas.PromptTask;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * An endless run of tasks without near-duplicates: tasks 0, 1, 2, ... of a source, each handed
 * out only when the {@link NearDuplicateFilter} admits it, stamped with the time it is handed
 * out. A source may fail to make a task (an LLM that gave no valid answer): that index yields
 * nothing. Thread-safe; the counters may be read from any thread.
 *
 * <pre>{@code
 * var tasks = new DistinctTasks(i -> Optional.of(source.task(i)), new NearDuplicateFilter(),
 *         Clock.systemUTC(), 1000);
 * Optional<PromptTask> next = tasks.next();
 * }</pre>
 */
public final class DistinctTasks {

    private final LongFunction<Optional<PromptTask>> source;
    private final NearDuplicateFilter filter;
    private final Clock clock;
    private final int maxDropsInARow;
    private final AtomicLong handedOut = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long nextIndex;

    /**
     * @param source task {@code i} of the run, empty when the source could not make it
     * @param filter remembers every task handed out
     * @param clock stamps {@code created_at}
     * @param maxDropsInARow near-duplicates in a row after which the source counts as exhausted
     */
    public DistinctTasks(LongFunction<Optional<PromptTask>> source, NearDuplicateFilter filter, Clock clock,
            int maxDropsInARow) {
        this.source = Objects.requireNonNull(source, "source");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxDropsInARow < 1) {
            throw new IllegalArgumentException("maxDropsInARow must be >= 1");
        }
        this.maxDropsInARow = maxDropsInARow;
    }

    /**
     * The next task that is no near-duplicate of one handed out before; empty when the source
     * failed to make the next task.
     *
     * @throws IllegalStateException when {@code maxDropsInARow} tasks in a row were dropped: the
     *     seed lists hold too few distinct combinations for more
     */
    public synchronized Optional<PromptTask> next() {
        for (int drops = 0; drops < maxDropsInARow; drops++) {
            Optional<PromptTask> made = source.apply(nextIndex++);
            if (made.isEmpty()) {
                return made;
            }
            PromptTask task = made.get();
            if (filter.admit(TaskText.of(task))) {
                handedOut.incrementAndGet();
                // The source makes a new task per index, so stamping it in place is safe.
                task.setCreatedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS));
                return made;
            }
            dropped.incrementAndGet();
        }
        throw new IllegalStateException("source exhausted: " + maxDropsInARow
                + " tasks in a row were near-duplicates of earlier ones");
    }

    /**
     * Carries on at task {@code index} of the source, when that is later than where the run is
     * (a restarted run skipping what it sent before).
     */
    public synchronized void skipTo(long index) {
        nextIndex = Math.max(nextIndex, index);
    }

    /** Tasks handed out so far. */
    public long handedOut() {
        return handedOut.get();
    }

    /** Near-duplicates dropped so far. */
    public long dropped() {
        return dropped.get();
    }
}
