package ai.collectiveagency.prompts.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service's own application.properties read as the packaged service reads it: negotiation
 * tasks only by default, single tasks only under the {@code single-agent} profile.
 */
class SingleAgentProfileTest {

    @Test
    void aNegotiationRunGetsNegotiationsOnlyAndTheSingleAgentBaselineSingleTasksOnly()
            throws IOException {
        PromptGeneratorConfig negotiation = config(List.of());
        PromptGeneratorConfig single = config(List.of("single-agent"));

        assertThat(negotiation.negotiationShare()).isEqualTo(1.0);
        assertThat(single.negotiationShare()).isZero();
        assertThat(ConfigChecks.problems(single)).isEmpty();
        // everything else is the run's as usual: the same seed gives the same task ids
        assertThat(single.seed()).isEqualTo(negotiation.seed());
        assertThat(single.heldOutShare()).isEqualTo(negotiation.heldOutShare());
    }

    /** The classpath's application.properties under {@code profiles}. */
    private static PromptGeneratorConfig config(List<String> profiles) throws IOException {
        return new SmallRyeConfigBuilder().withMapping(PromptGeneratorConfig.class)
                .addDefaultInterceptors().withProfiles(profiles).withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(
                        SingleAgentProfileTest.class.getResource("/application.properties"), 250))
                .build().getConfigMapping(PromptGeneratorConfig.class);
    }
}
