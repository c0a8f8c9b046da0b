package ai.collectiveagency.llm;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What a {@link JsonChat} has done so far; thread-safe, read by metrics from any thread. */
public final class ChatStats {

    private final LongAdder answered = new LongAdder();
    private final LongAdder attempts = new LongAdder();
    private final Map<ChatFailure, LongAdder> retried = counters();
    private final Map<ChatFailure, LongAdder> failed = counters();

    /** Requests that ended with a valid answer. */
    public long answered() {
        return answered.sum();
    }

    /** Requests sent to the endpoint, retries included. */
    public long attempts() {
        return attempts.sum();
    }

    /** Attempts that failed for {@code reason} and were tried again. */
    public long retried(ChatFailure reason) {
        return retried.get(reason).sum();
    }

    /** Requests given up on, by the reason of their last attempt. */
    public long failed(ChatFailure reason) {
        return failed.get(reason).sum();
    }

    /** Requests given up on, all reasons. */
    public long failed() {
        return failed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    void attempt() {
        attempts.increment();
    }

    void answer() {
        answered.increment();
    }

    void retry(ChatFailure reason) {
        retried.get(reason).increment();
    }

    void fail(ChatFailure reason) {
        failed.get(reason).increment();
    }

    private static Map<ChatFailure, LongAdder> counters() {
        Map<ChatFailure, LongAdder> map = new EnumMap<>(ChatFailure.class);
        for (ChatFailure reason : ChatFailure.values()) {
            map.put(reason, new LongAdder());
        }
        return map;
    }
}
