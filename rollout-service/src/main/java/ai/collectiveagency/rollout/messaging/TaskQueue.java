package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.schemas.PromptTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Tasks accepted from Kafka and not yet rolled out, bounded so that the consumer stops polling
 * (back-pressure) instead of holding more work than the model can do soon. A batch is taken as
 * the first task plus whatever else arrives within {@code maxWait}, up to {@code maxTasks}.
 */
final class TaskQueue {

    private final BlockingQueue<Message<PromptTask>> queue;

    TaskQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Waits while the queue is full. */
    void put(Message<PromptTask> task) throws InterruptedException {
        queue.put(task);
    }

    /**
     * The next batch: waits up to {@code idle} for a first task (empty list if none came), then
     * up to {@code maxWait} more to fill it to {@code maxTasks}.
     */
    List<Message<PromptTask>> nextBatch(int maxTasks, Duration maxWait, Duration idle)
            throws InterruptedException {
        List<Message<PromptTask>> batch = new ArrayList<>(maxTasks);
        Message<PromptTask> first = queue.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (batch.size() < maxTasks) {
            long left = deadline - System.nanoTime();
            Message<PromptTask> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS)
                    : queue.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    int size() {
        return queue.size();
    }
}
