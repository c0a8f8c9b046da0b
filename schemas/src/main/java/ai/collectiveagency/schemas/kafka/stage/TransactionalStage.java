package ai.collectiveagency.schemas.kafka.stage;

import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import ai.collectiveagency.schemas.kafka.RecordFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A consume-transform-produce stage with exactly-once effect: it reads a batch from its input
 * topic, hands it to a {@link BatchHandler}, and writes the handler's records, the dead letters
 * and the batch's offsets in one Kafka transaction. Either all of a batch's effects are visible
 * to {@code read_committed} readers, or none are and the batch is read again: a process killed
 * at any moment loses nothing and writes nothing twice.
 *
 * <p>Why not SmallRye's {@code KafkaTransactions}: it resets the consumer after an abort while
 * later records may already be queued behind the batch, its dead-letter strategy writes outside
 * the transaction, and a batch is one poll. Here the batch is formed across polls (the rollout
 * fleet fills a model batch), a bad input is dead-lettered inside the same transaction as the
 * batch's results, and an abort rewinds exactly what was read.
 *
 * <p>Failures, per input and never for the batch as a whole:
 * <ul>
 *   <li>a tombstone or an undecodable record is dead-lettered with the reason;</li>
 *   <li>a decode failure the record is not to blame for ({@link RecordFailure#RETRY}, e.g. the
 *       schema registry is down) rewinds that partition to the record and waits;</li>
 *   <li>a handler failure is retried on each input alone, up to {@code maxAttempts}, and then
 *       dead-lettered with the cause;</li>
 *   <li>a record the broker refuses as too large is dead-lettered (its input, which is small);
 *       </li>
 *   <li>a failed commit (broker restart, a rebalance) aborts and reads the batch again;</li>
 *   <li>a fenced producer (another process took this transactional id) or a failing JVM
 *       ({@link RecordFailure#FATAL}) stops the stage: its {@link WorkerWatch} goes DOWN.</li>
 * </ul>
 *
 * @param <I> the decoded input
 */
public final class TransactionalStage<I> implements Runnable {

    private static final System.Logger LOG = System.getLogger(TransactionalStage.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final StageConfig config;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Deserializer<I> decoder;
    private final BatchHandler<I> handler;
    private final StageListener listener;
    private final WorkerWatch watch;
    /** Records polled but not yet in a batch, in the order read. */
    private final List<ConsumerRecord<String, byte[]>> carried = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean ready;

    /**
     * @param consumer subscribed by the stage; {@code read_committed}, no auto-commit
     *     ({@link StageClients} makes both clients)
     * @param producer transactional, not yet initialised
     */
    public TransactionalStage(StageConfig config, Consumer<String, byte[]> consumer,
            Producer<String, byte[]> producer, Deserializer<I> decoder, BatchHandler<I> handler,
            StageListener listener, WorkerWatch watch) {
        this.config = config;
        this.consumer = consumer;
        this.producer = producer;
        this.decoder = decoder;
        this.handler = handler;
        this.listener = listener;
        this.watch = watch;
    }

    /** Whether the producer is registered with the broker and the consumer has subscribed. */
    public boolean ready() {
        return ready;
    }

    /** Asks the stage to stop after the batch in hand; {@link #run()} then returns. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        watch.attach(Thread.currentThread());
        try {
            initTransactions();
            consumer.subscribe(List.of(config.inputTopic()), new Rebalance());
            ready = true;
            while (running) {
                List<ConsumerRecord<String, byte[]>> batch = nextBatch();
                if (!batch.isEmpty()) {
                    watch.working();
                    process(batch);
                    watch.progressed();
                }
            }
        } catch (ProducerFencedException e) {
            watch.died(e);
            LOG.log(System.Logger.Level.ERROR, "transactional id " + config.transactionalId()
                    + " was taken by another process: this stage stops. Give every replica its"
                    + " own id.", e);
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            watch.died(e);
            LOG.log(System.Logger.Level.ERROR, "stage on " + config.inputTopic() + " stopped", e);
            throw e;
        } finally {
            ready = false;
            closeClients();
        }
    }

    private void initTransactions() {
        while (running) {
            try {
                producer.initTransactions();
                return;
            } catch (TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "waiting for the broker to register "
                        + "transactional id " + config.transactionalId() + ": " + e.getMessage());
            }
        }
    }

    /** The first record, then whatever comes within {@code maxWait}, up to {@code maxBatch}. */
    private List<ConsumerRecord<String, byte[]>> nextBatch() {
        if (carried.isEmpty()) {
            pollInto(POLL);
        }
        long deadline = System.nanoTime() + config.maxWait().toNanos();
        while (running && !carried.isEmpty() && carried.size() < config.maxBatch()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            pollInto(Duration.ofNanos(left));
        }
        int size = Math.min(config.maxBatch(), carried.size());
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(carried.subList(0, size));
        carried.subList(0, size).clear();
        return batch;
    }

    private void pollInto(Duration timeout) {
        consumer.poll(timeout).forEach(carried::add);
    }

    private void process(List<ConsumerRecord<String, byte[]>> batch) {
        List<Decoded<I>> decoded = decode(batch);
        if (decoded == null) {
            return;
        }
        List<Slot> slots = handleAll(decoded);
        if (slots == null) {
            rewind(batch);
            return;
        }
        commit(batch, slots);
    }

    /** Decodes each record; null when a retryable failure rewound the batch. */
    private List<Decoded<I>> decode(List<ConsumerRecord<String, byte[]>> batch) {
        List<Decoded<I>> decoded = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (record.value() == null) {
                decoded.add(new Decoded<>(record, null, new Outcome.DeadLetter(
                        "tombstone: a record with no value", null)));
                continue;
            }
            try {
                I value = decoder.deserialize(record.topic(), record.value());
                decoded.add(new Decoded<>(record, value, null));
            } catch (RuntimeException | Error e) {
                switch (RecordFailure.of(e)) {
                    case FATAL -> throw e;
                    case RETRY -> {
                        LOG.log(System.Logger.Level.WARNING, "cannot decode " + where(record)
                                + " for now, reading it again after " + config.retryBackoff()
                                + ": " + e.getMessage());
                        listener.aborted(e);
                        rewind(batch);
                        pause();
                        return null;
                    }
                    case POISON -> decoded.add(new Decoded<>(record, null,
                            new Outcome.DeadLetter(String.valueOf(e.getMessage()), e)));
                }
            }
        }
        return decoded;
    }

    /**
     * The outcome of every input: handled as a batch, then each failed input alone up to the
     * attempt limit. Null when a retryable failure means the batch must be read again later.
     */
    private List<Slot> handleAll(List<Decoded<I>> decoded) {
        List<Slot> slots = new ArrayList<>(decoded.size());
        List<Input<I>> inputs = new ArrayList<>();
        for (Decoded<I> d : decoded) {
            Slot slot = new Slot(d.record());
            if (d.poison() != null) {
                slot.outcome = d.poison();
            } else {
                slot.input = new Input<>(d.record(), d.value());
                inputs.add(slot.input);
            }
            slots.add(slot);
        }
        if (inputs.isEmpty()) {
            return slots;
        }
        List<Outcome> outcomes = attempt(inputs);
        if (outcomes == null) {
            return null;
        }
        Iterator<Outcome> next = outcomes.iterator();
        for (Slot slot : slots) {
            if (slot.input != null) {
                slot.outcome = next.next();
            }
        }
        for (Slot slot : slots) {
            for (int attempt = 2; slot.outcome instanceof Outcome.Failed failed; attempt++) {
                if (attempt > config.maxAttempts()) {
                    slot.outcome = new Outcome.DeadLetter("failed " + config.maxAttempts()
                            + " times: " + failed.cause(), failed.cause());
                    break;
                }
                listener.retried(failed.cause(), attempt);
                LOG.log(System.Logger.Level.WARNING, where(slot.record) + " failed ("
                        + failed.cause() + "); attempt " + attempt + " of "
                        + config.maxAttempts() + " alone");
                pause();
                List<Outcome> alone = attempt(List.of(slot.input));
                if (alone == null) {
                    return null;
                }
                slot.outcome = alone.get(0);
            }
        }
        return slots;
    }

    /** The handler's outcomes for {@code inputs}; null for a retryable failure. */
    private List<Outcome> attempt(List<Input<I>> inputs) {
        try {
            List<Outcome> outcomes = handler.handle(inputs);
            if (outcomes.size() != inputs.size()) {
                throw new IllegalStateException("the handler gave " + outcomes.size()
                        + " outcomes for " + inputs.size() + " inputs");
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (Exception | Error e) {
            switch (RecordFailure.of(e)) {
                case FATAL -> throw (Error) e;
                case RETRY -> {
                    LOG.log(System.Logger.Level.WARNING, "a batch from " + config.inputTopic()
                            + " waits " + config.retryBackoff() + ": " + e.getMessage());
                    listener.aborted(e);
                    pause();
                    return null;
                }
                default -> {
                    return inputs.stream().<Outcome>map(i -> new Outcome.Failed(e)).toList();
                }
            }
        }
    }

    /**
     * Writes the batch's records, dead letters and offsets in one transaction. A record the
     * broker refuses for what it is (too large, not serializable) turns its input into a dead
     * letter and the transaction is tried again; any other failure aborts and rewinds.
     */
    private void commit(List<ConsumerRecord<String, byte[]>> batch, List<Slot> slots) {
        // Each pass turns at least one output into a dead letter or ends: it terminates.
        while (true) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<Slot> sentBy = new ArrayList<>();
            try {
                producer.beginTransaction();
                for (Slot slot : slots) {
                    for (ProducerRecord<String, byte[]> out : recordsOf(slot)) {
                        sent.add(producer.send(out));
                        sentBy.add(slot);
                    }
                }
                producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
                commitTransaction();
            } catch (ProducerFencedException | AuthorizationException
                    | UnsupportedVersionException e) {
                throw e;
            } catch (KafkaException e) {
                abort(e);
                if (refusedOutputs(sent, sentBy)) {
                    continue;
                }
                LOG.log(System.Logger.Level.WARNING, "transaction for " + batch.size()
                        + " records from " + config.inputTopic() + " aborted; reading them again",
                        e);
                listener.aborted(e);
                rewind(batch);
                pause();
                return;
            }
            int deadLettered = 0;
            for (Slot slot : slots) {
                if (slot.outcome instanceof Outcome.Emit emit) {
                    emit.afterCommit().run();
                } else {
                    deadLettered++;
                }
            }
            listener.committed(slots.size() - deadLettered, deadLettered);
            return;
        }
    }

    private void commitTransaction() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                // The commit may be called again after a timeout; the broker may be restarting.
                if (attempt >= config.maxAttempts() + 2) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "commit timed out, trying again: "
                        + e.getMessage());
            }
        }
    }

    private void abort(KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            // Nothing was begun, or the abort itself could not reach the broker: the broker
            // aborts an unfinished transaction after transaction.timeout.ms, and the next
            // transaction of this id aborts it at once.
            LOG.log(System.Logger.Level.DEBUG, "abort after " + cause + " failed: " + e);
        }
    }

    /**
     * Turns each input whose output the broker refused for what it is into a dead letter;
     * whether there was any (then the transaction is tried again without it).
     */
    private boolean refusedOutputs(List<Future<RecordMetadata>> sent, List<Slot> sentBy) {
        boolean any = false;
        for (int i = 0; i < sent.size(); i++) {
            Throwable failure = failureOf(sent.get(i));
            Slot slot = sentBy.get(i);
            if ((failure instanceof RecordTooLargeException
                    || failure instanceof SerializationException)
                    && slot.outcome instanceof Outcome.Emit) {
                slot.outcome = new Outcome.DeadLetter("its result was refused by the broker: "
                        + failure.getMessage(), failure);
                any = true;
            }
        }
        return any;
    }

    private static Throwable failureOf(Future<RecordMetadata> future) {
        if (!future.isDone()) {
            return null;
        }
        try {
            future.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private List<ProducerRecord<String, byte[]>> recordsOf(Slot slot) {
        if (slot.outcome instanceof Outcome.Emit emit) {
            return emit.records();
        }
        Outcome.DeadLetter dead = (Outcome.DeadLetter) slot.outcome;
        LOG.log(System.Logger.Level.WARNING, where(slot.record) + " goes to "
                + config.deadLetterTopic() + ": " + dead.reason());
        return List.of(DeadLetters.of(config.deadLetterTopic(), slot.record, dead.reason(),
                dead.cause()));
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
            List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            next.merge(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return next;
    }

    /**
     * Sets every partition of {@code batch} and of the records carried behind it back to the
     * first of them, so they are read again; the carried records are dropped.
     */
    private void rewind(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (List<ConsumerRecord<String, byte[]>> records : List.of(batch, carried)) {
            for (ConsumerRecord<String, byte[]> record : records) {
                first.merge(new TopicPartition(record.topic(), record.partition()),
                        record.offset(), Math::min);
            }
        }
        carried.clear();
        var assigned = consumer.assignment();
        first.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private void pause() {
        try {
            Thread.sleep(config.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private void closeClients() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the consumer: " + e);
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the producer: " + e);
        }
    }

    private static String where(ConsumerRecord<String, byte[]> record) {
        return "record " + record.key() + " (" + record.topic() + "-" + record.partition() + "@"
                + record.offset() + ")";
    }

    /** Drops the records of partitions taken away, so that no batch holds them. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            carried.removeIf(r -> partitions.contains(
                    new TopicPartition(r.topic(), r.partition())));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    /** A record after decoding: its value, or the dead letter it already is. */
    private record Decoded<V>(ConsumerRecord<String, byte[]> record, V value,
            Outcome.DeadLetter poison) {
    }

    /** One input's place in the batch and its outcome so far. */
    private final class Slot {
        final ConsumerRecord<String, byte[]> record;
        Input<I> input;
        Outcome outcome;

        Slot(ConsumerRecord<String, byte[]> record) {
            this.record = record;
        }
    }
}
