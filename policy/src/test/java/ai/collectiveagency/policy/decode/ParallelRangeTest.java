package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.atomic.AtomicIntegerArray;

/** Every index is visited exactly once, on grain boundaries, and failures reach the caller. */
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
}
