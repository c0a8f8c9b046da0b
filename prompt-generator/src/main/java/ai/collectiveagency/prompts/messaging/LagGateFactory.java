package ai.collectiveagency.prompts.messaging;

import ai.collectiveagency.prompts.config.PromptGeneratorConfig;
import ai.collectiveagency.prompts.pacing.AdminLagSource;
import ai.collectiveagency.prompts.pacing.LagGate;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the service's {@link LagGate}: an Admin client with the channels' Kafka settings (the
 * {@code kafka.*} keys, security included) that reads the lag of {@code prompts.pacing.group} on
 * the prompts channel's topic, or a gate that admits everything when
 * {@code prompts.pacing.max-lag} is 0 (no Admin client then).
 */
@ApplicationScoped
public class LagGateFactory {

    /** The longest one lag measurement (and one Admin request) may take. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    @Produces
    @Singleton
    LagGate lagGate(PromptGeneratorConfig config,
                    @Identifier("default-kafka-broker") Map<String, Object> kafka,
                    @ConfigProperty(name = "mp.messaging.outgoing." + Channels.PROMPTS + ".topic")
                    String topic) {
        PromptGeneratorConfig.Pacing pacing = config.pacing();
        if (pacing.maxLag() == 0) {
            return LagGate.disabled();
        }
        Admin admin = Admin.create(KafkaClientSettings.of(kafka).admin("prompt-generator-pacing",
                ADMIN_TIMEOUT));
        AdminLagSource source = new AdminLagSource(admin, pacing.group(), topic, ADMIN_TIMEOUT);
        return new LagGate(source, pacing.maxLag(), pacing.checkInterval(), System::nanoTime);
    }

    void close(@Disposes LagGate gate) throws Exception {
        gate.close();
    }
}
