package ai.collectiveagency.prompts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LagGateTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final AtomicLong now = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean brokerGone;

    private final LagSource source = () -> {
        reads.incrementAndGet();
        if (brokerGone) {
            throw new LagUnavailableException("broker gone", new RuntimeException());
        }
        return lag.get();
    };

    @Test
    void admitsUntilTheAdmittedTasksBringTheLagToTheBound() {
        LagGate gate = new LagGate(source, 10, INTERVAL, now::get);
        lag.set(7);

        assertThat(admitted(gate, 20)).isEqualTo(3);
        assertThat(gate.lag()).isEqualTo(10);
        assertThat(reads).hasValue(1);
    }

    @Test
    void measurementIsReusedWithinTheIntervalAndRenewedAfterIt() {
        LagGate gate = new LagGate(source, 10, INTERVAL, now::get);
        lag.set(10);
        assertThat(admitted(gate, 5)).isZero();

        lag.set(4);
        now.addAndGet(INTERVAL.toNanos() - 1);
        assertThat(admitted(gate, 5)).isZero();
        now.addAndGet(1);
        assertThat(admitted(gate, 20)).isEqualTo(6);
        assertThat(reads).hasValue(2);
    }

    @Test
    void unreadableLagHoldsBackUntilItCanBeReadAgain() {
        LagGate gate = new LagGate(source, 10, INTERVAL, now::get);
        brokerGone = true;
        assertThat(admitted(gate, 5)).isZero();
        now.addAndGet(INTERVAL.toNanos());
        assertThat(admitted(gate, 5)).isZero();

        brokerGone = false;
        now.addAndGet(INTERVAL.toNanos());
        assertThat(admitted(gate, 5)).isEqualTo(5);
        assertThat(reads).hasValue(3);
    }

    @Test
    void boundZeroAdmitsEverythingWithoutMeasuring() {
        LagGate gate = new LagGate(source, 0, INTERVAL, now::get);
        lag.set(1_000);

        assertThat(admitted(gate, 100)).isEqualTo(100);
        assertThat(reads).hasValue(0);
        assertThat(LagGate.disabled().admit()).isTrue();
    }

    private static int admitted(LagGate gate, int ticks) {
        int admitted = 0;
        for (int i = 0; i < ticks; i++) {
            if (gate.admit()) {
                admitted++;
            }
        }
        return admitted;
    }
}
