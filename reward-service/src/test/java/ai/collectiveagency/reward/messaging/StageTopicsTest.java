package ai.collectiveagency.reward.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The stage's topics (under {@code pipeline.topic-prefix}) and record size in
 * application.properties are the catalogue's: what it reads, writes and dead-letters exists, and
 * no record it may write or read is larger than the topics take (nor smaller).
 */
class StageTopicsTest {


    @Test
    void topicsAndSizesAreTheCatalogues() throws IOException {
        Properties settings = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            settings.load(in);
        }
        // The names derive from the one prefix key, which is the catalogue's default.
        String prefix = settings.getProperty("pipeline.topic-prefix");
        assertThat(prefix).isEqualTo(TopicCatalogue.DEFAULT_PREFIX);
        settings.replaceAll((key, value) -> value.toString()
                .replace("${pipeline.topic-prefix}", prefix));
        TopicCatalogue catalogue = TopicCatalogue.withPrefix(prefix);

        assertThat(settings.getProperty("reward.stage.input-topic"))
                .isEqualTo(catalogue.name(LogicalTopic.ROLLOUTS));
        assertThat(settings.getProperty("reward.stage.output-topic"))
                .isEqualTo(catalogue.name(LogicalTopic.SCORED));
        assertThat(settings.getProperty("reward.stage.dead-letter-topic"))
                .isEqualTo(catalogue.dlqName(LogicalTopic.ROLLOUTS));
        int largest = Math.max(catalogue.spec(LogicalTopic.ROLLOUTS).maxMessageBytes(),
                catalogue.spec(LogicalTopic.SCORED).maxMessageBytes());
        assertThat(Integer.parseInt(settings.getProperty("reward.stage.max-message-bytes")))
                .isEqualTo(largest);
    }
}
