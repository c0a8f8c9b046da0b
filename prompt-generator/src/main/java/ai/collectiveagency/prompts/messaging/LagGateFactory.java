package ai.collectiveagency.prompts.messaging;

import ai.collectiveagency.prompts.config.PromptGeneratorConfig;
import ai.collectiveagency.prompts.pacing.AdminLagSource;
import ai.collectiveagency.prompts.pacing.LagGate;
import ai.collectiveagency.prompts.pacing.PacedGroup;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the service's {@link LagGate}: one Admin client with the channels' Kafka settings (the
 * {@code kafka.*} keys, security included) that reads the lag of {@code prompts.pacing.group} on
 * the prompts channel's topic and of {@code prompts.pacing.trainer-group} on the scored topic;
 * a bound of 0 leaves its group out, and with both at 0 the gate admits everything (no Admin
 * client then).
 */
@ApplicationScoped
public class LagGateFactory {

    /** The longest one lag measurement (and one Admin request) may take. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    private Admin admin;

    @Produces
    @Singleton
    LagGate lagGate(PromptGeneratorConfig config,
                    @Identifier("default-kafka-broker") Map<String, Object> kafka,
                    @ConfigProperty(name = "mp.messaging.outgoing." + Channels.PROMPTS + ".topic")
                    String topic,
                    @ConfigProperty(name = "pipeline.topic-prefix") String prefix) {
        PromptGeneratorConfig.Pacing pacing = config.pacing();
        if (pacing.maxLag() == 0 && pacing.trainerMaxLag() == 0) {
            return LagGate.disabled();
        }
        admin = Admin.create(KafkaClientSettings.of(kafka).admin("prompt-generator-pacing",
                ADMIN_TIMEOUT));
        List<PacedGroup> groups = new ArrayList<>();
        if (pacing.maxLag() > 0) {
            groups.add(new PacedGroup(pacing.group(), new AdminLagSource(admin, pacing.group(),
                    topic, ADMIN_TIMEOUT), pacing.maxLag()));
        }
        if (pacing.trainerMaxLag() > 0) {
            String scored = TopicCatalogue.withPrefix(prefix).name(LogicalTopic.SCORED);
            groups.add(new PacedGroup(pacing.trainerGroup(), new AdminLagSource(admin,
                    pacing.trainerGroup(), scored, ADMIN_TIMEOUT), pacing.trainerMaxLag()));
        }
        return new LagGate(groups, pacing.checkInterval(), System::nanoTime);
    }

    void close(@Disposes LagGate gate) {
        if (admin != null) {
            admin.close(ADMIN_TIMEOUT);
        }
    }
}
