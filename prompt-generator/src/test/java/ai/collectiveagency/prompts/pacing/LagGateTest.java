package ai.collectiveagency.prompts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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
        LagGate gate = gate(10);
        lag.set(7);

        assertThat(admitted(gate, 20)).isEqualTo(3);
        assertThat(gate.lag("rollout-service")).isEqualTo(10);
        assertThat(reads).hasValue(1);
    }

    @Test
    void measurementIsReusedWithinTheIntervalAndRenewedAfterIt() {
        LagGate gate = gate(10);
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
    void tasksStillOnTheirWayWhenTheLagIsMeasuredCountOnTopOfIt() {
        LagGate gate = gate(10);
        lag.set(0);
        assertThat(admitted(gate, 6)).isEqualTo(6);

        // the broker has written two of the six so far; four are still on their way
        lag.set(2);
        gate.settled();
        gate.settled();
        now.addAndGet(INTERVAL.toNanos());
        assertThat(admitted(gate, 20)).as("2 measured + 4 travelling + 4 new").isEqualTo(4);
        assertThat(gate.lag("rollout-service")).isEqualTo(10);

        // all ten written and settled: the next measurement alone counts
        for (int i = 0; i < 8; i++) {
            gate.settled();
        }
        lag.set(10);
        now.addAndGet(INTERVAL.toNanos());
        assertThat(admitted(gate, 5)).isZero();
        lag.set(7);
        now.addAndGet(INTERVAL.toNanos());
        assertThat(admitted(gate, 5)).isEqualTo(3);
    }

    @Test
    void unreadableLagHoldsBackUntilItCanBeReadAgain() {
        LagGate gate = gate(10);
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
    void everyGroupMustBeBelowItsBoundAndEachTaskCountsTowardsEveryLag() {
        AtomicLong trainerLag = new AtomicLong();
        LagGate gate = new LagGate(List.of(new PacedGroup("rollout-service", source, 10),
                new PacedGroup("trainer-service", trainerLag::get, 4)), INTERVAL, now::get);
        lag.set(2);
        trainerLag.set(1);

        assertThat(admitted(gate, 20)).as("the trainer's bound is reached first").isEqualTo(3);
        assertThat(gate.lag("rollout-service")).isEqualTo(5);
        assertThat(gate.lag("trainer-service")).isEqualTo(4);

        for (int i = 0; i < 3; i++) {
            gate.settled(); // the three reached the broker, which the next measurement sees
        }
        trainerLag.set(0);
        lag.set(9);
        now.addAndGet(INTERVAL.toNanos());
        assertThat(admitted(gate, 20)).as("now the rollout fleet's").isEqualTo(1);
    }

    @Test
    void noGroupAdmitsEverythingWithoutMeasuring() {
        LagGate gate = new LagGate(List.of(), INTERVAL, now::get);
        lag.set(1_000);

        assertThat(admitted(gate, 100)).isEqualTo(100);
        assertThat(reads).hasValue(0);
        assertThat(LagGate.disabled().admit()).isTrue();
    }

    private LagGate gate(long maxLag) {
        return new LagGate(List.of(new PacedGroup("rollout-service", source, maxLag)), INTERVAL,
                now::get);
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
