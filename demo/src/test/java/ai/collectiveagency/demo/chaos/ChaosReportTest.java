package ai.collectiveagency.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.chaos.Accounting.Stage;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

    private static final List<String> SERVICES = List.of("prompt-generator", "rollout-service",
            "reward-service", "trainer-service");
    private static final String PROMPTS = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);

    @Test
    void theJsonLineHasTheFiguresInTheirOrder() {
        FaultTally faults = everyFault();

        String json = new ChaosReport(PROMPTS, accounting(0, 0), faults).json();

        assertThat(json).isEqualTo("{\"tasks\":10,\"trained\":5,\"held_out\":2,"
                + "\"no_signal\":1,\"dead_lettered\":1,\"in_flight\":1,\"lost\":0,"
                + "\"trained_twice\":0,"
                + "\"kills\":{\"prompt-generator\":1,\"rollout-service\":1,"
                + "\"reward-service\":1,\"trainer-service\":1},\"broker_restarts\":1,"
                + "\"poison_quarantined\":6}");
    }

    @Test
    void aLostTaskATaskTrainedTwiceOrAMissedFaultFailsTheRun() {
        assertThat(new ChaosReport(PROMPTS, accounting(0, 0), everyFault()).failed()).isFalse();
        assertThat(new ChaosReport(PROMPTS, accounting(1, 0), everyFault()).failed()).isTrue();
        assertThat(new ChaosReport(PROMPTS, accounting(0, 1), everyFault()).failed()).isTrue();
        FaultTally missed = everyFault();
        missed.failed("trainer-service did not come back");
        assertThat(new ChaosReport(PROMPTS, accounting(0, 0), missed).failed()).isTrue();
    }

    @Test
    void theTableNamesThePromptsTopicOfTheRun() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String teamPrompts = TopicCatalogue.withPrefix("team-a.").name(LogicalTopic.PROMPTS);

        new ChaosReport(teamPrompts, accounting(0, 0), everyFault())
                .print(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("where the 10 tasks written to " + teamPrompts + " went",
                        "task ids on " + teamPrompts + " more than once")
                .doesNotContain(PROMPTS);
    }

    private static Accounting accounting(int lost, int trainedTwice) {
        return new Accounting(10, 5, 2, 1, 1, 1, lost, trainedTwice, trainedTwice, 0, 0, 6, 6,
                Map.of(Stage.TRAINER, 1), lost > 0 ? List.of("t-9") : List.of());
    }

    private static FaultTally everyFault() {
        FaultTally faults = new FaultTally(SERVICES);
        SERVICES.forEach(faults::killed);
        faults.brokerRestarted();
        return faults;
    }
}
