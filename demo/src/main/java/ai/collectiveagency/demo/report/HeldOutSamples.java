package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.samples.SampleLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Collects {@link HeldOutFigures} from the groups of {@code samples.jsonl} in file order: the
 * mean reward of every held-out group (one number each) and the newest held-out resolutions.
 */
final class HeldOutSamples {

    private final List<Double> groupRewards = new ArrayList<>();
    private final ArrayDeque<String> lastResolutions = new ArrayDeque<>();

    /** One group's lines; groups of training tasks are passed over. */
    void add(List<SampleLine> group) {
        if (!group.get(0).heldOut()) {
            return;
        }
        double reward = SampleNegotiation.meanReward(group);
        if (Double.isFinite(reward)) {
            groupRewards.add(reward);
        }
        for (SampleLine line : group) {
            if (line.resolution() != null) {
                lastResolutions.addLast(line.resolution());
                if (lastResolutions.size() > HeldOutFigures.LAST_RESOLUTIONS) {
                    lastResolutions.removeFirst();
                }
            }
        }
    }

    HeldOutFigures figures() {
        int n = groupRewards.size();
        int edge = Math.min(HeldOutFigures.EDGE_GROUPS, n / 2);
        return new HeldOutFigures(n, MeanInterval.of(groupRewards.subList(0, edge)),
                MeanInterval.of(groupRewards.subList(n - edge, n)), lastResolutions.size(),
                new HashSet<>(lastResolutions).size());
    }
}
