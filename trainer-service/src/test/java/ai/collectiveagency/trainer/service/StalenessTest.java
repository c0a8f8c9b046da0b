package ai.collectiveagency.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import ai.collectiveagency.trainer.LedgerView;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.ledger.LedgerEntry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The off-policy bound with {@code max-staleness=1}, a step per two groups and a checkpoint (a
 * new version) per step: a group sampled two versions behind is dead-lettered with the reason
 * (on the DLQ and in the ledger) and counted on {@code /q/metrics}; one version behind, or
 * current, it is trained on.
 */
@QuarkusTest
@TestProfile(StalenessTest.MaxStalenessOne.class)
@WithTestResource(BrokerAndStore.class)
class StalenessTest {

    /** max-staleness 1. */
    public static class MaxStalenessOne implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trainer.max-staleness", "1");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void groupsBeyondTheBoundAreDroppedAndCountedThoseWithinAreTrainedOn() throws Exception {
        Topics topics = new Topics(bootstrapServers);
        // Read in this order; the trainer's version is 0, then 1 after step 1, 2 after step 2.
        topics.send(List.of(
                TestGroups.group("v-1", 0, 1, 0, 0.5, 0.2),   // version 0: staleness 0
                TestGroups.group("v-2", 0, 0, 1, 0.3, 0.9),   // -> step 1, version 1
                TestGroups.group("v-3", 0, 0.1, 0.7, 0.4, 0), // staleness 1: trained
                TestGroups.group("v-4", 1, 1, 0, 0, 0.3),     // -> step 2, version 2
                TestGroups.group("v-5", 0, 0.2, 0.6, 1, 0),   // staleness 2: dropped
                TestGroups.group("v-6", 1, 0.9, 0.1, 0.5, 0), // staleness 1: trained
                TestGroups.group("v-7", 2, 0, 0.4, 0.8, 1))); // -> step 3, version 3

        List<PolicyCheckpoint> announced = topics.checkpoints(3, Duration.ofSeconds(120));

        assertThat(announced).extracting(PolicyCheckpoint::getVersion).containsExactly(1L, 2L,
                3L);
        LedgerView ledger = LedgerView.of(Path.of(URI.create(announced.get(2).getUri())));
        assertThat(ledger.steps()).containsExactly(
                List.of("v-1", "v-2"), List.of("v-3", "v-4"), List.of("v-6", "v-7"));
        assertThat(ledger.of(LedgerEntry.Kind.DEAD_LETTERED)).singleElement()
                .satisfies(e -> assertThat(e.reason())
                        .isEqualTo("stale: sampled 2 versions behind, max-staleness 1"));
        assertThat(topics.deadLetters(1, Duration.ofSeconds(30))).extracting(r ->
                DeadLetters.header(r.headers(), DeadLetters.REASON).orElseThrow())
                .containsExactly("stale: sampled 2 versions behind, max-staleness 1");
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics.toURI())
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape).containsPattern("trainer_groups_dropped_total\\{reason=\"stale\",?\\} "
                + "1\\.0");
        // Staleness of the six groups trained on: 0, 0, 1, 0, 1, 0.
        assertThat(scrape).containsPattern("trainer_staleness_count(\\{[^}]*\\})? 6\\.0");
        assertThat(scrape).containsPattern("trainer_staleness_sum(\\{[^}]*\\})? 2\\.0");
    }
}
