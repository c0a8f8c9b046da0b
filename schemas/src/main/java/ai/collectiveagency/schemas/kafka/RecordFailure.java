package ai.collectiveagency.schemas.kafka;

import org.apache.kafka.common.errors.RetriableException;

/**
 * What a consumer does with a record that threw while it was decoded or handled.
 *
 * <ul>
 *   <li>{@link #RETRY}: the fault is outside the record (a schema registry or broker outage,
 *       any Kafka {@link RetriableException}): it is kept and tried again later, never
 *       dead-lettered;</li>
 *   <li>{@link #FATAL}: the JVM itself is failing ({@link VirtualMachineError} other than a
 *       stack overflow): the worker stops, so that liveness goes DOWN and the process is
 *       replaced;</li>
 *   <li>{@link #POISON}: anything else, an {@link Error} a record's bytes provoked included
 *       (a stack overflow in a decoder, an assertion): the record goes to the DLQ with the
 *       reason and the consumer moves on.</li>
 * </ul>
 */
public enum RecordFailure {
    RETRY, POISON, FATAL;

    public static RecordFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return RETRY;
            }
        }
        if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
            return FATAL;
        }
        return POISON;
    }
}
