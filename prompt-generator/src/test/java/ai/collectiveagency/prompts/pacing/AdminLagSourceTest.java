package ai.collectiveagency.prompts.pacing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class AdminLagSourceTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @Test
    void unreachableBrokerIsReportedAsUnavailableLagNotAsACrash() {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        String prompts = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);
        try (admin) {
            AdminLagSource source = new AdminLagSource(admin, "rollout-service", prompts,
                    TIMEOUT);
            assertThatThrownBy(source::lag)
                    .isInstanceOf(LagUnavailableException.class)
                    .hasMessageContaining("rollout-service");
        }
    }
}
