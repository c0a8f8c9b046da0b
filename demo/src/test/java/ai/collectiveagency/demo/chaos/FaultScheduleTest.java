package ai.collectiveagency.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final List<String> SERVICES = List.of("prompt-generator", "rollout-service",
            "reward-service", "trainer-service");
    private static final List<String> TOPICS = Stream.of(LogicalTopic.PROMPTS,
            LogicalTopic.ROLLOUTS, LogicalTopic.SCORED).map(TopicCatalogue.defaults()::name)
            .toList();
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void killsEachServiceRestartsTheBrokerAndPoisonsEachTopicOnce() {
        List<Fault> schedule = FaultSchedule.draw(7, FIVE_MINUTES, SERVICES, TOPICS);

        assertThat(schedule).filteredOn(f -> f.kind() == Fault.Kind.KILL)
                .extracting(Fault::target).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(schedule).filteredOn(f -> f.kind() == Fault.Kind.POISON)
                .extracting(Fault::target).containsExactlyInAnyOrderElementsOf(TOPICS);
        assertThat(schedule).filteredOn(f -> f.kind() == Fault.Kind.RESTART_BROKER).hasSize(1);
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnotherOne() {
        assertThat(FaultSchedule.draw(7, FIVE_MINUTES, SERVICES, TOPICS))
                .isEqualTo(FaultSchedule.draw(7, FIVE_MINUTES, SERVICES, TOPICS))
                .isNotEqualTo(FaultSchedule.draw(8, FIVE_MINUTES, SERVICES, TOPICS));
    }

    @Test
    void faultsFallBetweenTheQuietStartAndEndAtLeastHalfASlotApart() {
        for (long seed = 0; seed < 50; seed++) {
            List<Fault> schedule = FaultSchedule.draw(seed, FIVE_MINUTES, SERVICES, TOPICS);
            double slot = FIVE_MINUTES.toMillis() * (1 - FaultSchedule.QUIET_START
                    - FaultSchedule.QUIET_END) / schedule.size();
            assertThat(schedule.get(0).at().toMillis()).as("seed %d", seed)
                    .isGreaterThanOrEqualTo(Math.round(FIVE_MINUTES.toMillis()
                            * FaultSchedule.QUIET_START));
            assertThat(schedule.get(schedule.size() - 1).at().toMillis()).as("seed %d", seed)
                    .isLessThanOrEqualTo(Math.round(FIVE_MINUTES.toMillis()
                            * (1 - FaultSchedule.QUIET_END)));
            for (int i = 1; i < schedule.size(); i++) {
                assertThat(schedule.get(i).at().minus(schedule.get(i - 1).at()).toMillis())
                        .as("seed %d, fault %d", seed, i)
                        .isGreaterThanOrEqualTo(Math.round(slot / 2) - 1);
            }
        }
    }
}
