package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.samples.SampleFiles;
import ai.collectiveagency.demo.samples.SampleLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the report reads from the run's {@code samples.jsonl} (and its rotated files): the sample
 * negotiations of the first and the last policy version with their versions' figures, and the
 * held-out figures. Read from the files rather than kept in memory, a report written again
 * after the run shows the same.
 *
 * @param first the earliest groups of the lowest version
 * @param last the newest groups of the newest version
 * @param firstFigures the lowest version's figures; empty without samples
 * @param lastFigures the newest version's figures; empty without samples
 * @param heldOut the held-out figures
 * @param skippedLines lines that did not parse (a run killed while writing leaves one)
 */
public record RunSamples(List<SampleNegotiation> first, List<SampleNegotiation> last,
        Optional<VersionFigures> firstFigures, Optional<VersionFigures> lastFigures,
        HeldOutFigures heldOut, long skippedLines) {

    public RunSamples {
        first = List.copyOf(first);
        last = List.copyOf(last);
    }

    /** The samples of {@code runFolder}; none when it has no sample file. */
    public static RunSamples read(Path runFolder) {
        SampleNegotiations negotiations = new SampleNegotiations();
        HeldOutSamples heldOut = new HeldOutSamples();
        List<SampleLine> group = new ArrayList<>();
        long skipped = SampleFiles.read(runFolder, line -> {
            // A group's lines are consecutive: a new group id ends the one before.
            if (!group.isEmpty() && !group.get(0).groupId().equals(line.groupId())) {
                negotiations.add(List.copyOf(group));
                heldOut.add(group);
                group.clear();
            }
            group.add(line);
        });
        if (!group.isEmpty()) {
            negotiations.add(List.copyOf(group));
            heldOut.add(group);
        }
        return new RunSamples(negotiations.first(), negotiations.last(),
                negotiations.firstFigures(), negotiations.lastFigures(), heldOut.figures(),
                skipped);
    }
}
