package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.samples.SampleLine;
import java.util.List;
import java.util.Objects;

/**
 * One scored group as the report shows it: the scenario, the personas, one trajectory's
 * dialogue, its resolution and reward, from the group's lines in {@code samples.jsonl}.
 *
 * @param groupId the group's id
 * @param policyVersion the version that sampled the group (the lowest among its trajectories)
 * @param heldOut whether the task was an evaluation task
 * @param negotiation true for self-play between two personas, false for a single answer
 * @param title the scenario's title
 * @param scenario the scenario's description
 * @param valueConflict the values in tension
 * @param personaA persona A
 * @param personaB persona B
 * @param dialogue the persona turns in order (empty for a single answer)
 * @param resolution the resolution or answer; null when there was no agreement
 * @param reward the trajectory's reward; null when unscorable
 * @param rewardNote why the trajectory was unscorable; null otherwise
 * @param groupMeanReward mean reward of the group's scored trajectories (NaN: none scored)
 * @param trajectories trajectories in the group
 */
public record SampleNegotiation(String groupId, long policyVersion, boolean heldOut,
        boolean negotiation, String title, String scenario, String valueConflict,
        SampleLine.Persona personaA, SampleLine.Persona personaB, List<SampleLine.Turn> dialogue,
        String resolution, Double reward, String rewardNote, double groupMeanReward,
        int trajectories) {

    public SampleNegotiation {
        dialogue = List.copyOf(dialogue);
    }

    /**
     * The group's first trajectory that reached a resolution, or its first one when none did: a
     * resolution says the most about the policy, and the same rule on both sides of the report
     * keeps the first and last versions comparable.
     *
     * @param group one group's lines, in the group's order
     */
    public static SampleNegotiation of(List<SampleLine> group) {
        SampleLine shown = group.stream().filter(t -> t.resolution() != null).findFirst()
                .orElse(group.get(0));
        SampleLine.Scenario scenario = Objects.requireNonNullElse(shown.scenario(),
                new SampleLine.Scenario("(no scenario)", "", "", ""));
        return new SampleNegotiation(shown.groupId(), version(group), shown.heldOut(),
                shown.negotiation(), scenario.title(), scenario.description(),
                scenario.valueConflict(), shown.personaA(), shown.personaB(), shown.dialogue(),
                shown.resolution(), shown.reward(), shown.unscorableReason(),
                meanReward(group), Math.max(group.size(), shown.groupSize()));
    }

    /** The behaviour version of a group: the lowest that sampled any of its trajectories. */
    public static long version(List<SampleLine> group) {
        return group.stream().mapToLong(SampleLine::policyVersion).min().orElse(0);
    }

    /** Mean reward of a group's scored trajectories (NaN: none scored). */
    static double meanReward(List<SampleLine> group) {
        return group.stream().map(SampleLine::reward).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
