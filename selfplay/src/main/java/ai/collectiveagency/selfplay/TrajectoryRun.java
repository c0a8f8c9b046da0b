package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One trajectory while it is being played: its dialogue as text (the context of later prompts)
 * and its turns as the policy produced them (what the trainer learns from).
 */
final class TrajectoryRun {

    private final PromptTask task;
    private final int index;
    private final List<Turn> turns = new ArrayList<>();
    private Dialogue dialogue;
    private boolean agreed;
    private String resolution;
    private Thoughts thoughts;

    TrajectoryRun(PromptTask task, int index) {
        this.task = task;
        this.index = index;
        this.dialogue = Dialogue.start(task);
    }

    PromptTask task() {
        return task;
    }

    Dialogue dialogue() {
        return dialogue;
    }

    boolean agreed() {
        return agreed;
    }

    /** The seed of this trajectory's sequence at {@code step}. */
    long seed(int step) {
        return SequenceSeeds.of(task.getSeed(), index, step);
    }

    /** The seed of the thoughts sampled during the turn at {@code step}. */
    long thoughtsSeed(int step) {
        return SequenceSeeds.thoughts(task.getSeed(), index, step);
    }

    /**
     * Appends the next speaker's turn, preceded by the thoughts it read, if it held any: its
     * prompt is then expected to carry them ({@link ThoughtPrompts#speaker}).
     */
    void addPersonaTurn(int[] prompt, Generation generation, String text,
            TurnSampling sampling) {
        thoughtsOfNextSpeaker().ifPresent(read -> turns.add(read.turn()));
        thoughts = null;
        turns.add(turn(dialogue.nextSpeaker().segment(), prompt, generation, text, sampling));
        dialogue = dialogue.then(text);
    }

    /**
     * Holds {@code thinker}'s thoughts until its next turn. Thoughts no turn reads (the dialogue
     * ended first) never join the trajectory: no public token depended on them.
     */
    void holdThoughts(Speaker thinker, int[] prompt, Generation generation, String text,
            TurnSampling sampling) {
        thoughts = new Thoughts(thinker, turn(thinker.thoughtsSegment(), prompt, generation, text,
                sampling));
    }

    /** The thoughts the next speaker holds, if any. */
    Optional<Thoughts> thoughtsOfNextSpeaker() {
        return Optional.ofNullable(thoughts)
                .filter(held -> held.thinker() == dialogue.nextSpeaker());
    }

    void markAgreed() {
        agreed = true;
    }

    /** Persona A's resolution of an agreed dialogue, or the single agent's answer. */
    void addClosingTurn(Segment segment, int[] prompt, Generation generation, String text,
            TurnSampling sampling) {
        turns.add(turn(segment, prompt, generation, text, sampling));
        resolution = text;
    }

    /**
     * The finished trajectory. {@code rounds} counts the persona turns played (A's and B's
     * together; 0 in SINGLE mode). It failed when it has no resolution: no agreement within the
     * turn limit, or a prompt that no longer fit the model's context.
     */
    Trajectory toTrajectory(String groupId, long policyVersion) {
        return Trajectory.newBuilder()
                .setTrajectoryId(groupId + "-" + index)
                .setPolicyVersion(policyVersion)
                .setTurns(List.copyOf(turns))
                .setAgreementReached(agreed)
                .setRounds(dialogue.turns().size())
                .setFailed(resolution == null)
                .setResolution(resolution)
                .build();
    }

    private static Turn turn(Segment segment, int[] prompt, Generation generation, String text,
            TurnSampling sampling) {
        return Turn.newBuilder()
                .setSegment(segment)
                .setText(text)
                .setPromptTokenIds(ints(prompt))
                .setCompletionTokenIds(ints(generation.tokenIds()))
                .setCompletionLogprobs(floats(generation.logprobs()))
                .setTemperature((float) sampling.temperature())
                .setTopP((float) sampling.topP())
                .setFinishReason(generation.finishReason().name().toLowerCase(Locale.ROOT))
                .build();
    }

    private static List<Integer> ints(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add(v);
        }
        return list;
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }
}
