package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.samples.SampleLine;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The negotiations the report shows side by side, chosen from the groups of {@code
 * samples.jsonl} in file order: the earliest groups of the lowest policy version, and the newest
 * groups of the newest version (a rolling window), each side with its version's figures over all
 * of that version's groups. A lower or newer version than any before starts its side again.
 */
public final class SampleNegotiations {

    /** Groups shown on each side by default. */
    public static final int KEEP = 3;

    private final int keep;
    private Side first;
    private Side last;

    public SampleNegotiations() {
        this(KEEP);
    }

    /** Shows {@code keep} groups on each side. */
    public SampleNegotiations(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep < 1: " + keep);
        }
        this.keep = keep;
    }

    /** One group's lines, in the group's order. */
    public void add(List<SampleLine> group) {
        long version = SampleNegotiation.version(group);
        if (first == null || version < first.version) {
            first = new Side(version, false);
        }
        if (last == null || version > last.version) {
            last = new Side(version, true);
        }
        if (version == first.version) {
            first.add(group);
        }
        if (version == last.version) {
            last.add(group);
        }
    }

    /** The earliest groups of the lowest version, oldest first. */
    public List<SampleNegotiation> first() {
        return first == null ? List.of() : List.copyOf(first.shown);
    }

    /** The newest groups of the newest version, oldest first. */
    public List<SampleNegotiation> last() {
        return last == null ? List.of() : List.copyOf(last.shown);
    }

    /** The lowest version's figures; empty before any group. */
    public Optional<VersionFigures> firstFigures() {
        return Optional.ofNullable(first).map(Side::figures);
    }

    /** The newest version's figures; empty before any group. */
    public Optional<VersionFigures> lastFigures() {
        return Optional.ofNullable(last).map(Side::figures);
    }

    /** One side: its version's groups shown, and a tally over all of them. */
    private final class Side {

        final long version;
        final boolean rolling;
        final ArrayDeque<SampleNegotiation> shown = new ArrayDeque<>();
        final Set<String> distinct = new HashSet<>();
        int groups;
        int trajectories;
        int scored;
        double rewardSum;
        int agreed;
        int resolutions;

        Side(long version, boolean rolling) {
            this.version = version;
            this.rolling = rolling;
        }

        void add(List<SampleLine> group) {
            groups++;
            for (SampleLine line : group) {
                trajectories++;
                if (line.reward() != null) {
                    scored++;
                    rewardSum += line.reward();
                }
                if (line.agreed()) {
                    agreed++;
                }
                if (line.resolution() != null) {
                    resolutions++;
                    distinct.add(line.resolution());
                }
            }
            if (rolling || shown.size() < keep) {
                shown.addLast(SampleNegotiation.of(group));
                if (shown.size() > keep) {
                    shown.removeFirst();
                }
            }
        }

        VersionFigures figures() {
            return new VersionFigures(version, groups, trajectories,
                    scored == 0 ? Double.NaN : rewardSum / scored, agreed, resolutions,
                    distinct.size());
        }
    }
}
