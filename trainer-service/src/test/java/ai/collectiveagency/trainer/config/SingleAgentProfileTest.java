package ai.collectiveagency.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.trainer.TestConfigs;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's own application.properties read as the packaged service reads it, with and
 * without the {@code single-agent} profile (QUARKUS_PROFILE=single-agent).
 */
class SingleAgentProfileTest {

    @Test
    void theSingleAgentBaselineHasItsOwnKlAndBatchAndPassesTheStartUpChecks() throws IOException {
        TrainerConfig negotiation = config(List.of(), Map.of());
        TrainerConfig single = config(List.of("single-agent"), Map.of());

        assertThat(TrainerConfigChecks.problems(single)).isEmpty();
        assertThat(single.beta()).isEqualTo(0.04);
        assertThat(single.groupsPerStep()).isEqualTo(8);
        assertThat(negotiation.beta()).isZero();
        assertThat(negotiation.groupsPerStep()).isEqualTo(4);
        // the same step size, so that the two runs differ in what the comparison is about
        assertThat(single.learningRate()).isEqualTo(negotiation.learningRate());
    }

    @Test
    void aKeyGivenOnTheCommandLineWinsOverTheProfile() throws IOException {
        TrainerConfig single = config(List.of("single-agent"), Map.of("trainer.beta", "0.1"));

        assertThat(single.beta()).isEqualTo(0.1);
        assertThat(single.groupsPerStep()).isEqualTo(8);
    }

    /**
     * The classpath's application.properties under {@code profiles}, with {@code overrides} as
     * -D options are (a source of higher ordinal) and the tests' tiny model.
     */
    private static TrainerConfig config(List<String> profiles, Map<String, String> overrides)
            throws IOException {
        Map<String, String> commandLine = new HashMap<>(overrides);
        commandLine.put("trainer.model", TestConfigs.MODEL);
        return new SmallRyeConfigBuilder().withMapping(TrainerConfig.class)
                .addDefaultInterceptors().withProfiles(profiles).withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(
                        SingleAgentProfileTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(commandLine, "command line", 400))
                .build().getConfigMapping(TrainerConfig.class);
    }
}
