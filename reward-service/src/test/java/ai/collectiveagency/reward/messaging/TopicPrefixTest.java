package ai.collectiveagency.reward.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.scoring.TestData;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A broker whose topics carry another prefix ({@code ./pipeline kafka --prefix team-a.}) and a
 * service given the same {@code pipeline.topic-prefix}: it reads and writes those topics.
 */
@QuarkusTest
@TestProfile(TopicPrefixTest.TeamA.class)
class TopicPrefixTest {

    private static final String PREFIX = "team-a.";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theServiceReadsAndWritesTheTopicsOfItsPrefix() {
        TopicIo io = new TopicIo(bootstrapServers, TopicCatalogue.withPrefix(PREFIX));
        io.sendGroups(List.of(TestData.group("p-1", "we share the water")));

        List<ConsumerRecord<String, ScoredGroup>> scored = io.scored(1, Duration.ofSeconds(60));

        assertThat(scored).hasSize(1);
        assertThat(scored.get(0).topic()).isEqualTo("team-a.scored");
        assertThat(scored.get(0).key()).isEqualTo("p-1");
    }

    /** The local broker's topics, and the service, under {@code team-a.}. */
    public static final class TeamA implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LocalKafkaTestResource.class,
                    Map.of(LocalKafkaTestResource.PREFIX, PREFIX)));
        }
    }
}
