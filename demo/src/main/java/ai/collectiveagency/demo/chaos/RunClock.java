package ai.collectiveagency.demo.chaos;

import java.time.Duration;

/** Time since a chaos run's fleet was up: what its output lines are stamped with. */
final class RunClock {

    /** How often a wait runs its {@code waiting} task (a progress line). */
    static final Duration TICK = Duration.ofSeconds(30);

    private final long start = System.nanoTime();
    private long lastTick = start;

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** {@code t=mm:ss}, now. */
    String stamp() {
        return stamp(elapsed());
    }

    /** {@code t=mm:ss}, {@code at} after the start. */
    static String stamp(Duration at) {
        long seconds = at.toSeconds();
        return String.format("t=%02d:%02d", seconds / 60, seconds % 60);
    }

    /** Sleeps until {@code at} after the start, running {@code waiting} every {@link #TICK}. */
    void waitUntil(Duration at, Runnable waiting) throws InterruptedException {
        while (elapsed().compareTo(at) < 0) {
            if (System.nanoTime() - lastTick >= TICK.toNanos()) {
                lastTick = System.nanoTime();
                waiting.run();
            }
            Thread.sleep(Math.min(250, Math.max(1, at.minus(elapsed()).toMillis())));
        }
    }
}
