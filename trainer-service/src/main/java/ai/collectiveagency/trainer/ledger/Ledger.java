package ai.collectiveagency.trainer.ledger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * What the trainer settled since its last checkpoint, and where each record was read, until a
 * checkpoint writes it to that version's ledger file ({@link LedgerFiles}). Only entries whose
 * record lies before the checkpoint's consumed offsets go into the file: a restart from that
 * checkpoint does not read them again. The others (a held-out group read behind a group still
 * waiting for its step) stay for the next checkpoint, or are read and settled again after a
 * restart. So memory holds a few steps' worth, however long the run, or at most
 * {@code trainer.checkpoint-every-settled} groups settled without a step.
 */
public final class Ledger {

    private final Path folder;
    private final SettledGroups settled;
    private final List<Pending> pending = new ArrayList<>();

    /**
     * @param folder the ledger folder ({@link LedgerFiles#folder})
     * @param settled told which ids each written file holds
     */
    public Ledger(Path folder, SettledGroups settled) {
        this.folder = folder;
        this.settled = settled;
    }

    /** Records {@code entry} for the record at {@code offset} of {@code partition}. */
    public void add(LedgerEntry entry, TopicPartition partition, long offset) {
        pending.add(new Pending(entry, partition, offset));
    }

    /**
     * Writes version {@code version}'s file (durably) with the entries whose record lies before
     * {@code next} (the first offset per partition a restart reads), and forgets them.
     *
     * @return the entries written
     */
    public List<LedgerEntry> write(long version, ToLongFunction<TopicPartition> next) {
        List<LedgerEntry> settledNow = new ArrayList<>();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.offset() < next.applyAsLong(p.partition())) {
                settledNow.add(p.entry());
                it.remove();
            }
        }
        LedgerFiles.write(folder, version, settledNow);
        settled.written(settledNow);
        return settledNow;
    }

    /** Entries waiting for a checkpoint. */
    public int pending() {
        return pending.size();
    }

    private record Pending(LedgerEntry entry, TopicPartition partition, long offset) {
    }
}
