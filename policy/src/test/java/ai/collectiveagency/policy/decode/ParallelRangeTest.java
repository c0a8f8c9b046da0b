package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Every index is visited exactly once, on grain boundaries, failures reach the caller, no work
 * outlives its call or is kept alive by it, and a stalled worker is not waited for again soon.
 */
class ParallelRangeTest {

    @ParameterizedTest(name = "threads={0} count={1} grain={2}")
    @CsvSource({"1, 10, 1", "2, 1, 1", "2, 7, 3", "2, 1000, 48", "3, 667, 1", "4, 5, 2"})
    void visitsEveryIndexOnce(int threads, int count, int grain) {
        ParallelRange range = new ParallelRange(threads);
        for (int repeat = 0; repeat < 50; repeat++) {
            AtomicIntegerArray visits = new AtomicIntegerArray(count);
            range.run(count, grain, (start, end) -> {
                assertThat(start % grain == 0 || start == count).isTrue();
                for (int i = start; i < end; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < count; i++) {
                assertThat(visits.get(i)).as("index %d", i).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @CsvSource({"1", "2"})
    void aFailingPartFailsTheCall(int threads) {
        ParallelRange range = new ParallelRange(threads);

        assertThatThrownBy(() -> range.run(100, 1, (start, end) -> {
            if (end == 100) {
                throw new IllegalStateException("boom");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        range.run(10, 1, (start, end) -> { }); // still usable
    }

    @Test
    void twoStallsSendTheNextCallsToTheCallerAlone() {
        ParallelRange range = new ParallelRange(2);
        Thread caller = Thread.currentThread();
        AtomicInteger stalls = new AtomicInteger();
        for (int attempt = 0; attempt < 400 && stalls.get() < 2; attempt++) {
            range.run(16, 1, (start, end) -> {
                if (Thread.currentThread() != caller) {
                    stalls.incrementAndGet();
                    LockSupport.parkNanos(20_000_000); // as if it lost its core mid-chunk
                } else {
                    LockSupport.parkNanos(200_000); // time for the worker to join
                }
            });
        }
        assertThat(stalls.get()).as("calls a worker stalled").isGreaterThanOrEqualTo(2);

        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        range.run(16, 1, (start, end) -> ran.add(Thread.currentThread()));

        assertThat(ran).containsExactly(caller);
    }

    @Test
    void noChunkRunsAfterTheCallReturned() {
        ParallelRange range = new ParallelRange(2);
        AtomicBoolean returned = new AtomicBoolean();
        AtomicBoolean late = new AtomicBoolean();
        for (int repeat = 0; repeat < 2000; repeat++) {
            returned.set(false);
            AtomicBoolean thisCall = returned;
            range.run(4, 1, (start, end) -> late.compareAndSet(false, thisCall.get()));
            returned.set(true);
        }

        assertThat(late).isFalse();
    }

    @Test
    void anIdleWorkerDoesNotKeepTheLastCallsArrays() throws InterruptedException {
        ParallelRange range = new ParallelRange(2);
        WeakReference<float[]> released = sumOverANewArray(range);

        for (int i = 0; i < 50 && released.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(released.get()).as("array reachable only through the finished call").isNull();
    }

    /** Runs a call whose body holds a new array (as a decoder's holds its weights). */
    private static WeakReference<float[]> sumOverANewArray(ParallelRange range) {
        float[] weights = new float[1 << 20];
        float[] sums = new float[16];
        range.run(16, 1, (start, end) -> {
            for (int c = start; c < end; c++) {
                sums[c] = weights[c];
            }
        });
        return new WeakReference<>(weights);
    }
}
