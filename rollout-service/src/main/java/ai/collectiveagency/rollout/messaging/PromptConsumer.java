package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.schemas.PromptTask;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Takes tasks from {@link Channels#PROMPTS} into the {@link RolloutBatcher}'s queue. The next
 * record is asked for only once this one is queued, so a full queue stops the consumer
 * (back-pressure). Acknowledgement comes later, when the task's group is written. Records that
 * do not decode never arrive here: the connector sends them to the DLQ.
 */
@ApplicationScoped
public class PromptConsumer {

    private final RolloutBatcher batcher;

    PromptConsumer(RolloutBatcher batcher) {
        this.batcher = batcher;
    }

    @Incoming(Channels.PROMPTS)
    public Uni<Void> consume(Message<PromptTask> task) {
        return Uni.createFrom().<Void>item(() -> {
            try {
                batcher.accept(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while queueing a task", e);
            }
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
