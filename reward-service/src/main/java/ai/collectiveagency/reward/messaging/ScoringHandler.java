package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.reward.config.RewardConfig;
import ai.collectiveagency.scoring.GroupScorer;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import ai.collectiveagency.schemas.kafka.stage.BatchHandler;
import ai.collectiveagency.schemas.kafka.stage.Input;
import ai.collectiveagency.schemas.kafka.stage.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Scores each group of a batch and answers it with its scored group, keyed by task id, for the
 * scored topic. A group the scorer throws on fails alone (the stage retries it, then
 * dead-letters it); the others go on.
 *
 * <p>With {@code reward.on-outage=wait}, a group some of whose texts the judge could not be
 * reached for ({@code ChatFailure.unreachable()}, never the judge's own words) is scored again
 * every {@code outage-retry-delay} (answers already given come from the cache) while the batch
 * has waited less than {@code outage-max-hold}; after that it goes out with those trajectories
 * flagged unscorable, the reason saying how long it was held.
 */
final class ScoringHandler implements BatchHandler<RolloutGroup> {

    private static final System.Logger LOG = System.getLogger(ScoringHandler.class.getName());

    private final GroupScorer scorer;
    private final RewardConfig config;
    private final String scoredTopic;
    private final Serializer<ScoredGroup> serializer;
    private final RewardMeters meters;

    ScoringHandler(GroupScorer scorer, RewardConfig config, String scoredTopic,
            Serializer<ScoredGroup> serializer, RewardMeters meters) {
        this.scorer = scorer;
        this.config = config;
        this.scoredTopic = scoredTopic;
        this.serializer = serializer;
        this.meters = meters;
    }

    @Override
    public List<Outcome> handle(List<Input<RolloutGroup>> batch) throws InterruptedException {
        long holdUntil = System.nanoTime() + config.outageMaxHold().toNanos();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Input<RolloutGroup> input : batch) {
            try {
                outcomes.add(emit(score(input.value(), holdUntil)));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome.Failed(e));
            }
        }
        return outcomes;
    }

    private ScoredGroup score(RolloutGroup group, long holdUntil) throws InterruptedException {
        long started = System.nanoTime();
        GroupScorer.GroupScore result = meters.timed(() -> scorer.score(group));
        boolean waiting = config.onOutage() == RewardConfig.OutagePolicy.WAIT;
        while (waiting && result.judgeUnreachable() && System.nanoTime() < holdUntil) {
            meters.held();
            LOG.log(System.Logger.Level.WARNING, "group " + group.getGroupId() + " waits "
                    + config.outageRetryDelay() + " for the judge: " + firstReason(result));
            Thread.sleep(config.outageRetryDelay().toMillis());
            result = meters.timed(() -> scorer.score(group));
        }
        if (waiting && result.judgeUnreachable()) {
            Duration held = Duration.ofNanos(System.nanoTime() - started);
            meters.heldTooLong();
            return flaggedAfterHold(result.scored(), held);
        }
        return result.scored();
    }

    /** The reasons of the still-unscorable trajectories say the group was held and for how long. */
    private static ScoredGroup flaggedAfterHold(ScoredGroup scored, Duration held) {
        List<TrajectoryScore> scores = scored.getScores().stream().map(score ->
                !score.getUnscorable() ? score : TrajectoryScore.newBuilder(score)
                        .setUnscorableReason("judge unreachable, held " + held.toSeconds()
                                + " s (reward.outage-max-hold): " + score.getUnscorableReason())
                        .build()).toList();
        return ScoredGroup.newBuilder(scored).setScores(scores).build();
    }

    private Outcome emit(ScoredGroup scored) {
        String taskId = scored.getGroup().getTask().getTaskId();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(scoredTopic, taskId,
                serializer.serialize(scoredTopic, scored));
        return new Outcome.Emit(List.of(record), () -> meters.sent(scored));
    }

    private static String firstReason(GroupScorer.GroupScore result) {
        return result.scored().getScores().stream().filter(TrajectoryScore::getUnscorable)
                .map(TrajectoryScore::getUnscorableReason).findFirst().orElse("");
    }
}
