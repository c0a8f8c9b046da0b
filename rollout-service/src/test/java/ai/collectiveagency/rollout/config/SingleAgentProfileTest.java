package ai.collectiveagency.rollout.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's own application.properties read as the packaged service reads it, with and
 * without the {@code single-agent} profile (QUARKUS_PROFILE=single-agent).
 */
class SingleAgentProfileTest {

    @Test
    void theSingleAgentBaselineSamplesItsAnswersFromThePolicysOwnDistribution()
            throws IOException {
        RolloutConfig negotiation = config(List.of());
        RolloutConfig single = config(List.of("single-agent"));

        assertThat(RolloutConfigChecks.problems(single)).isEmpty();
        assertThat(single.answer().temperature()).isEqualTo(1.0);
        assertThat(single.answer().topP()).isEqualTo(1.0);
        assertThat(negotiation.answer().temperature()).isEqualTo(0.7);
        assertThat(negotiation.answer().topP()).isEqualTo(0.95);
        // what a negotiation samples is not the profile's business
        assertThat(single.dialogue().temperature()).isEqualTo(negotiation.dialogue().temperature());
        assertThat(single.resolution().temperature())
                .isEqualTo(negotiation.resolution().temperature());
    }

    /** The classpath's application.properties under {@code profiles}, on the tests' model. */
    private static RolloutConfig config(List<String> profiles) throws IOException {
        return new SmallRyeConfigBuilder().withMapping(RolloutConfig.class)
                .addDefaultInterceptors().withProfiles(profiles).withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(
                        SingleAgentProfileTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(
                        Map.of("rollout.model", "../models/qwen2-tiny-random"), "command line",
                        400))
                .build().getConfigMapping(RolloutConfig.class);
    }
}
