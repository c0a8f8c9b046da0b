package ai.collectiveagency.prompts.messaging;

import ai.collectiveagency.prompts.audit.TaskAudit;
import ai.collectiveagency.schemas.PromptTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads the prompts topic back in its own consumer group and shows the dead-letter convention
 * every consumer of the pipeline follows: a sound task is acknowledged and counted per mode
 * ({@code prompts_audited_total{mode=...}}); a task that breaks an invariant of {@link TaskAudit}
 * is counted ({@code prompts_audit_rejected_total}) and nacked with the reason, and the
 * connector's {@code dead-letter-queue} failure strategy writes it to
 * {@code alignment.prompts.dlq} with {@code dead-letter-reason} and the origin in headers.
 * Records that do not decode never reach this method: the connector sends them to the same DLQ.
 */
@ApplicationScoped
public class PromptAuditConsumer {

    private final MeterRegistry registry;
    private final Counter rejected;

    PromptAuditConsumer(MeterRegistry registry) {
        this.registry = registry;
        this.rejected = Counter.builder("prompts.audit.rejected")
                .description("Tasks read back that break an invariant, sent to the DLQ")
                .register(registry);
    }

    @Incoming(Channels.PROMPTS_AUDIT)
    public CompletionStage<Void> audit(Message<PromptTask> message) {
        PromptTask task = message.getPayload();
        Optional<String> problem = TaskAudit.problem(task);
        if (problem.isPresent()) {
            rejected.increment();
            return message.nack(new IllegalArgumentException(problem.get()));
        }
        audited(task).increment();
        return message.ack();
    }

    private Counter audited(PromptTask task) {
        return Counter.builder("prompts.audited")
                .description("Tasks read back from the prompts topic that hold every invariant")
                .tag("mode", task.getMode().name())
                .register(registry);
    }
}
