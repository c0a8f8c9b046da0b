package ai.collectiveagency.schemas.kafka.stage;

import java.time.Duration;

/** A {@link TransactionalStage} running on its own thread, stopped and joined on close. */
public final class StageThread implements AutoCloseable {

    private final TransactionalStage<?> stage;
    private final Thread thread;
    private final Duration grace;

    private StageThread(TransactionalStage<?> stage, String name, Duration grace) {
        this.stage = stage;
        this.grace = grace;
        this.thread = new Thread(stage, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts {@code stage} on a thread called {@code name}; {@link #close()} waits up to
     * {@code grace} for the batch in hand to be written.
     */
    public static StageThread start(TransactionalStage<?> stage, String name, Duration grace) {
        StageThread running = new StageThread(stage, name, grace);
        running.thread.start();
        return running;
    }

    public TransactionalStage<?> stage() {
        return stage;
    }

    @Override
    public void close() throws InterruptedException {
        stage.stop();
        thread.join(grace.toMillis());
        if (thread.isAlive()) {
            // The batch in hand is not written; its offsets are not committed, so it is read
            // again by whoever takes the partitions.
            thread.interrupt();
            thread.join(grace.toMillis());
        }
    }
}
