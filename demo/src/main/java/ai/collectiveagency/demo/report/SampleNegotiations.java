package ai.collectiveagency.demo.report;

import ai.collectiveagency.schemas.ScoredGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The negotiations the report shows side by side, collected from the scored topic as the run
 * goes, in bounded memory: the earliest groups of the lowest policy version seen, and the newest
 * groups of the newest version (a rolling window). A lower or newer version than any before
 * starts its side again. Thread-safe.
 */
public final class SampleNegotiations {

    /** Groups kept on each side by default. */
    public static final int KEEP = 3;

    private final int keep;
    private final List<SampleNegotiation> first = new ArrayList<>();
    private final ArrayDeque<SampleNegotiation> last = new ArrayDeque<>();
    private long lowest = Long.MAX_VALUE;
    private long newest = Long.MIN_VALUE;

    public SampleNegotiations() {
        this(KEEP);
    }

    /** Keeps {@code keep} groups on each side. */
    public SampleNegotiations(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep < 1: " + keep);
        }
        this.keep = keep;
    }

    public synchronized void add(ScoredGroup scored) {
        long version = SampleNegotiation.version(scored);
        if (version < lowest) {
            lowest = version;
            first.clear();
        }
        if (version > newest) {
            newest = version;
            last.clear();
        }
        boolean forFirst = version == lowest && first.size() < keep;
        boolean forLast = version == newest;
        if (!forFirst && !forLast) {
            return;
        }
        SampleNegotiation sample = SampleNegotiation.of(scored);
        if (forFirst) {
            first.add(sample);
        }
        if (forLast) {
            last.addLast(sample);
            if (last.size() > keep) {
                last.removeFirst();
            }
        }
    }

    /** The earliest groups of the lowest version, oldest first. */
    public synchronized List<SampleNegotiation> first() {
        return List.copyOf(first);
    }

    /** The newest groups of the newest version, oldest first. */
    public synchronized List<SampleNegotiation> last() {
        return List.copyOf(last);
    }
}
