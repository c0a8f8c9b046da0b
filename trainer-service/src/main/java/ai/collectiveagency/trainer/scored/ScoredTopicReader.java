package ai.collectiveagency.trainer.scored;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import ai.collectiveagency.schemas.kafka.RecordFailure;
import ai.collectiveagency.schemas.kafka.ScoredGroupDeserializer;
import ai.collectiveagency.trainer.ledger.Ledger;
import ai.collectiveagency.trainer.ledger.LedgerEntry;
import ai.collectiveagency.trainer.ledger.SettledGroups;
import ai.collectiveagency.trainer.loop.StepListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The scored topic as the trainer reads it: every partition assigned, read from the offsets of
 * the checkpoint it resumed from, one record at a time. It hands over only groups to train on
 * or evaluate, each id once; what it cannot hand over it settles itself and moves on:
 *
 * <ul>
 *   <li>a tombstone (no value) or a record that does not decode, an {@link Error} included, goes
 *       to the DLQ with the reason ({@link RecordFailure#POISON});</li>
 *   <li>a decoding failure outside the record (a schema-registry outage,
 *       {@link RecordFailure#RETRY}) is not the record's fault: the reader seeks back, pauses and
 *       reads it again;</li>
 *   <li>a group whose id was settled before ({@link SettledGroups}) is a duplicate: recorded,
 *       counted, logged, skipped.</li>
 * </ul>
 *
 * The caller dead-letters through {@link #deadLetter} what it refuses (stale, unfit,
 * quarantined groups). Every settled record enters the {@link Ledger}, and the
 * {@link OffsetTracker} knows which records are done, for the next checkpoint's offsets.
 * Before each poll, {@link ProgressReport} tells lag readers how far it has got.
 */
public final class ScoredTopicReader {

    private static final System.Logger LOG = System.getLogger(ScoredTopicReader.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    /** The pause before a record whose decoding hit an outage is read again. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final String topic;
    private final String deadLetterTopic;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetters;
    private final ScoredGroupDeserializer deserializer = new ScoredGroupDeserializer();
    private final SettledGroups settled;
    private final Ledger ledger;
    private final StepListener listener;
    private final BooleanSupplier running;
    private final OffsetTracker offsets = new OffsetTracker();
    private final ProgressReport progress;
    /** The records of the last poll not yet handled, in order. */
    private final Deque<ConsumerRecord<String, byte[]>> polled = new ArrayDeque<>();

    /**
     * @param serdeConfig the deserializer's settings (a schema registry)
     * @param running false once the trainer is asked to stop (ends the wait for the topic)
     */
    public ScoredTopicReader(String topic, String deadLetterTopic,
            Consumer<String, byte[]> consumer, Producer<String, byte[]> deadLetters,
            Map<String, ?> serdeConfig, SettledGroups settled, Ledger ledger,
            StepListener listener, BooleanSupplier running) {
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.progress = new ProgressReport(consumer, topic);
        this.settled = settled;
        this.ledger = ledger;
        this.listener = listener;
        this.running = running;
        this.deserializer.configure(serdeConfig, false);
    }

    /**
     * Assigns every partition of the topic (waiting, until stopped, while it does not exist or
     * the broker cannot be reached) and seeks each to its {@code consumed} offset, keyed
     * {@code topic-partition}, or to its beginning.
     */
    public void assign(Map<String, Long> consumed) {
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        for (TopicPartition partition : partitions) {
            Long saved = consumed.get(key(partition));
            long next = saved != null ? saved : beginnings.get(partition);
            consumer.seek(partition, next);
            offsets.start(partition, next);
        }
    }

    /** Whether records of the last poll wait to be handled. */
    public boolean hasPolled() {
        return !polled.isEmpty();
    }

    /**
     * The next group to train on or evaluate; empty when a poll brought none, or after a pause
     * for an outage. Polls when the last poll's records are used up.
     */
    public Optional<ScoredRecord> next() {
        progress.report(polled);
        if (polled.isEmpty()) {
            consumer.poll(POLL).forEach(polled::add);
        }
        while (!polled.isEmpty()) {
            ConsumerRecord<String, byte[]> record = polled.peekFirst();
            if (record.value() == null) {
                polled.removeFirst();
                deadLetter(record, String.valueOf(record.key()), null,
                        "tombstone: a record without a value", null, 0);
                continue;
            }
            ScoredGroup group;
            try {
                group = deserializer.deserialize(record.topic(), record.value());
            } catch (Throwable e) {
                switch (RecordFailure.of(e)) {
                    case RETRY -> {
                        retryLater(e);
                        return Optional.empty();
                    }
                    case FATAL -> throw e;
                    default -> {
                        polled.removeFirst();
                        deadLetter(record, String.valueOf(record.key()), null,
                                "undecodable: " + (e.getMessage() != null ? e.getMessage()
                                        : e.getClass().getName()), e, 0);
                        continue;
                    }
                }
            }
            polled.removeFirst();
            ScoredRecord read = new ScoredRecord(record, group);
            if (settled.settled(read.groupId(), DeadLetters.header(record.headers(),
                    DeadLetters.REPLAYED_FROM).isPresent())) {
                duplicate(read);
                continue;
            }
            settled.takenUp(read.groupId());
            return Optional.of(read);
        }
        return Optional.empty();
    }

    /** {@code read} joins the step being gathered: its offset is held back until the step. */
    public void waiting(ScoredRecord read) {
        offsets.waiting(read.partition(), read.offset());
    }

    /** The step was taken on every waiting group. */
    public void stepTaken() {
        offsets.stepTaken();
    }

    /** {@code read} is settled (its ledger entry made by the caller). */
    public void done(ScoredRecord read) {
        offsets.done(read.partition(), read.offset());
    }

    /**
     * Sends {@code read} to the DLQ with {@code reason} ({@code category: details}, e.g.
     * {@code stale: ...}), records it in the ledger as dead-lettered and counts it under its
     * category; a waiting group leaves the step being gathered.
     */
    public void deadLetter(ScoredRecord read, String reason, Throwable cause, long staleness) {
        offsets.leftStep(read.partition(), read.offset());
        settled.deadLettered(read.groupId());
        deadLetter(read.record(), read.taskId(), read.groupId(), reason, cause, staleness);
    }

    /** The first offset per partition that is not done, keyed {@code topic-partition}. */
    public Map<String, Long> committable() {
        return offsets.committable();
    }

    /** The first offset of {@code partition} that is not done. */
    public long firstNotDone(TopicPartition partition) {
        return offsets.next(partition);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String taskId, String groupId,
            String reason, Throwable cause, long staleness) {
        try {
            // Awaited: a checkpoint never counts as done a record whose dead letter is not on
            // the broker. A failed send stops the loop; a restart reads the record again.
            deadLetters.send(DeadLetters.of(deadLetterTopic, record, reason, cause)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + taskId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not dead-letter " + taskId + " on "
                    + deadLetterTopic, e.getCause());
        }
        ledger.add(LedgerEntry.deadLettered(taskId, groupId, reason), partition(record),
                record.offset());
        offsets.done(partition(record), record.offset());
        listener.dropped(category(reason), staleness);
        LOG.log(System.Logger.Level.WARNING, "dead-lettered " + taskId + " ("
                + partition(record) + "@" + record.offset() + ") to " + deadLetterTopic + ": "
                + reason);
    }

    private void duplicate(ScoredRecord read) {
        ledger.add(LedgerEntry.duplicate(read.taskId(), read.groupId()), read.partition(),
                read.offset());
        offsets.done(read.partition(), read.offset());
        listener.dropped("duplicate", 0);
        LOG.log(System.Logger.Level.WARNING, "skipped group " + read.groupId() + " at "
                + read.partition() + "@" + read.offset() + ": already settled (a duplicate)");
    }

    /**
     * Puts the unhandled records back: each partition among them is sought back to its first
     * one, and the reader pauses before reading again.
     */
    private void retryLater(Throwable cause) {
        ConsumerRecord<String, byte[]> first = polled.peekFirst();
        LOG.log(System.Logger.Level.WARNING, "cannot decode " + partition(first) + "@"
                + first.offset() + " now (" + cause + "): reading it again in "
                + RETRY_PAUSE.toSeconds() + " s");
        Map<TopicPartition, Long> from = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : polled) {
            from.putIfAbsent(partition(record), record.offset());
        }
        from.forEach(consumer::seek);
        polled.clear();
        sleep(RETRY_PAUSE);
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        while (partitions.isEmpty() && running.getAsBoolean()) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic);
            } catch (TimeoutException e) {
                // Retriable: the broker is not reachable (yet); keep waiting, as for the topic.
                infos = List.of();
            }
            for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            if (partitions.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "waiting for topic " + topic
                        + " on the broker");
                sleep(POLL.multipliedBy(5));
            }
        }
        return partitions;
    }

    private static String category(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    private static TopicPartition partition(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    private static String key(TopicPartition partition) {
        return partition.topic() + "-" + partition.partition();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the scored topic", e);
        }
    }
}
