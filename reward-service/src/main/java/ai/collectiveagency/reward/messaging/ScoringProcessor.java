package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.reward.config.RewardConfig;
import ai.collectiveagency.reward.scoring.GroupScorer;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Scores each group from {@link Channels#ROLLOUTS} and sends it to {@link Channels#SCORED},
 * keyed by task id. The group is acknowledged when its scored group is written, so a crash
 * loses nothing. With {@code reward.on-outage=wait}, a group some of whose texts the judge could
 * not be reached for is scored again after {@code reward.outage-retry-delay} (answers already
 * given come from the cache) until the judge answers; otherwise those trajectories go out
 * flagged unscorable with the reason. A group the scorer fails on is nacked to the DLQ.
 */
@ApplicationScoped
public class ScoringProcessor {

    private static final System.Logger LOG = System.getLogger(ScoringProcessor.class.getName());
    /** Reasons that mean the judge was unreachable, not that it disliked the answer. */
    private static final Set<String> OUTAGE = Set.of("http_status", "timeout", "connection",
            "circuit_open", "malformed_reply");

    private final GroupScorer scorer;
    private final RewardConfig config;
    private final Counter groups;
    private final Counter scored;
    private final Counter unscorable;
    private final Counter held;
    private final DistributionSummary rewards;
    private final Timer latency;

    ScoringProcessor(GroupScorer scorer, RewardConfig config, MeterRegistry registry) {
        this.scorer = scorer;
        this.config = config;
        this.groups = Counter.builder("reward.groups").description("Groups scored and sent")
                .register(registry);
        this.scored = Counter.builder("reward.trajectories").tag("outcome", "scored")
                .description("Trajectories by outcome").register(registry);
        this.unscorable = Counter.builder("reward.trajectories").tag("outcome", "unscorable")
                .description("Trajectories by outcome").register(registry);
        this.held = Counter.builder("reward.outage.retries")
                .description("Times a group was held for a judge outage and scored again")
                .register(registry);
        this.rewards = DistributionSummary.builder("reward.value")
                .description("Rewards given").register(registry);
        this.latency = Timer.builder("reward.group.duration").publishPercentiles(0.5, 0.9, 0.99)
                .description("Time to score one group").register(registry);
    }

    @Incoming(Channels.ROLLOUTS)
    @Outgoing(Channels.SCORED)
    @Blocking
    public Message<ScoredGroup> score(Message<RolloutGroup> in) throws InterruptedException {
        RolloutGroup group = in.getPayload();
        ScoredGroup out = latency.record(() -> scorer.score(group));
        while (config.onOutage() == RewardConfig.OutagePolicy.WAIT && hitOutage(out)) {
            held.increment();
            LOG.log(System.Logger.Level.WARNING, "group " + group.getGroupId() + " waits "
                    + config.outageRetryDelay() + " for the judge: " + firstReason(out));
            Thread.sleep(config.outageRetryDelay().toMillis());
            out = latency.record(() -> scorer.score(group));
        }
        groups.increment();
        for (TrajectoryScore score : out.getScores()) {
            if (score.getUnscorable()) {
                unscorable.increment();
            } else {
                scored.increment();
                rewards.record(score.getReward());
            }
        }
        return in.withPayload(out).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(group.getTask().getTaskId()).build());
    }

    private static boolean hitOutage(ScoredGroup out) {
        return out.getScores().stream().filter(TrajectoryScore::getUnscorable)
                .map(TrajectoryScore::getUnscorableReason)
                .anyMatch(reason -> reason != null && OUTAGE.stream().anyMatch(reason::contains));
    }

    private static String firstReason(ScoredGroup out) {
        return out.getScores().stream().filter(TrajectoryScore::getUnscorable)
                .map(TrajectoryScore::getUnscorableReason).findFirst().orElse("");
    }
}
