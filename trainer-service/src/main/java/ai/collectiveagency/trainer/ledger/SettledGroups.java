package ai.collectiveagency.trainer.ledger;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnel;
import com.google.common.hash.Funnels;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which group ids the trainer has settled (trained, evaluated as held out, without signal,
 * dead-lettered), in bounded memory, so that a group delivered twice is trained once. Three tiers:
 *
 * <ol>
 *   <li>the ids taken up since the last checkpoint, exactly, in memory (a few steps' worth);</li>
 *   <li>a Bloom filter of every id in the ledger files up to the last checkpoint, of fixed size
 *       ({@code trainer.dedup.expected-groups}, {@code false-positive-rate}), saved in each
 *       checkpoint folder as {@value #FILE} and read back on resume;</li>
 *   <li>on a filter hit, the ledger files themselves, newest first: the filter never misses an
 *       id it holds, and the files tell a true hit from a false positive.</li>
 * </ol>
 *
 * A group sent back from the DLQ ({@code ./pipeline dlq replay}, after a fix) is a duplicate only
 * of a group that was trained or evaluated: its own dead letter does not count.
 */
public final class SettledGroups {

    /** The filter's file inside a checkpoint folder. */
    public static final String FILE = "settled-groups.bloom";

    private static final System.Logger LOG = System.getLogger(SettledGroups.class.getName());
    private static final int BUFFER_BYTES = 1 << 16;
    private static final Funnel<CharSequence> IDS = Funnels.stringFunnel(StandardCharsets.UTF_8);

    private final Path ledger;
    private final double falsePositiveRate;
    private final BloomFilter<CharSequence> checkpointed;
    /** Ids taken up since the last checkpoint: true once dead-lettered. */
    private final Map<String, Boolean> recent = new HashMap<>();

    private SettledGroups(Path ledger, BloomFilter<CharSequence> checkpointed,
            double falsePositiveRate) {
        this.ledger = ledger;
        this.checkpointed = checkpointed;
        this.falsePositiveRate = falsePositiveRate;
    }

    /**
     * The ids of the ledger in folder {@code ledger} up to {@code checkpoint}'s version: its
     * saved filter, or an empty one sized for {@code expectedGroups} when there is no checkpoint
     * or it predates the filter.
     */
    public static SettledGroups resume(Path ledger, Optional<Path> checkpoint,
            long expectedGroups, double falsePositiveRate) {
        Optional<Path> saved = checkpoint.map(folder -> folder.resolve(FILE))
                .filter(Files::isRegularFile);
        if (saved.isEmpty()) {
            return new SettledGroups(ledger, BloomFilter.create(IDS, expectedGroups,
                    falsePositiveRate), falsePositiveRate);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(saved.get()))) {
            SettledGroups groups = new SettledGroups(ledger, BloomFilter.readFrom(in, IDS),
                    falsePositiveRate);
            groups.warnWhenFull();
            return groups;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + saved.get(), e);
        }
    }

    /**
     * Whether {@code groupId} was settled before.
     *
     * @param replayed the record came back from the DLQ: a dead letter of the group does not
     *     count
     */
    public boolean settled(String groupId, boolean replayed) {
        Boolean deadLettered = recent.get(groupId);
        if (deadLettered != null) {
            return !(replayed && deadLettered);
        }
        if (!checkpointed.mightContain(groupId)) {
            return false;
        }
        return LedgerFiles.findNewest(ledger, groupId, entry -> entry.kind().settles()
                && !(replayed && entry.kind() == LedgerEntry.Kind.DEAD_LETTERED)).isPresent();
    }

    /** {@code groupId} is taken up: it will be trained, evaluated or dead-lettered. */
    public void takenUp(String groupId) {
        recent.putIfAbsent(groupId, false);
    }

    /** {@code groupId} went to the DLQ. */
    public void deadLettered(String groupId) {
        recent.put(groupId, true);
    }

    /** The entries of a ledger file now written: their ids move from memory to the filter. */
    void written(Iterable<LedgerEntry> entries) {
        for (LedgerEntry entry : entries) {
            if (entry.kind().settles() && entry.groupId() != null) {
                checkpointed.put(entry.groupId());
                recent.remove(entry.groupId());
            }
        }
        warnWhenFull();
    }

    /**
     * Saves the filter into a checkpoint folder being written. Buffered: the filter writes
     * itself a long at a time, one system call each unbuffered (225,000 for the demo's 1.8 MB,
     * 15% of its trainer's time).
     */
    public void saveInto(Path folder) {
        try (OutputStream out = new BufferedOutputStream(
                Files.newOutputStream(folder.resolve(FILE)), BUFFER_BYTES)) {
            checkpointed.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE), e);
        }
    }

    /** Ids held in memory (those taken up since the last checkpoint). */
    public int inMemory() {
        return recent.size();
    }

    private void warnWhenFull() {
        double rate = checkpointed.expectedFpp();
        if (rate > 10 * falsePositiveRate) {
            // Still exact (hits are checked against the files), but more hits read the files.
            LOG.log(System.Logger.Level.WARNING, "the settled-groups filter holds about "
                    + checkpointed.approximateElementCount() + " ids; its false-positive rate "
                    + "is now " + rate + ": raise trainer.dedup.expected-groups and start a new"
                    + " store to keep duplicate checks cheap");
        }
    }
}
