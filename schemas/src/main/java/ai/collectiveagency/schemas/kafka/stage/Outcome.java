package ai.collectiveagency.schemas.kafka.stage;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What became of one input record of a {@link TransactionalStage}'s batch. */
public sealed interface Outcome {

    /**
     * Handled: these records go out in the batch's transaction.
     *
     * @param afterCommit runs once the transaction is committed (metrics, logs)
     */
    record Emit(List<ProducerRecord<String, byte[]>> records, Runnable afterCommit)
            implements Outcome {
        public Emit {
            records = List.copyOf(records);
            Objects.requireNonNull(afterCommit, "afterCommit");
        }

        public static Emit of(ProducerRecord<String, byte[]> record) {
            return new Emit(List.of(record), () -> { });
        }
    }

    /** Poison: the record goes to the stage's DLQ with {@code reason}, in the transaction. */
    record DeadLetter(String reason, Throwable cause) implements Outcome {
        public DeadLetter {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The handler failed on this record, perhaps for a passing reason (a model error): the stage
     * tries it again alone, up to its attempt limit, then dead-letters it with the cause.
     */
    record Failed(Throwable cause) implements Outcome {
        public Failed {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
