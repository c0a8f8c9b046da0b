package ai.collectiveagency.demo.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {

    @Test
    void aServiceGetsThePathsAndItsOwnVariablesButNoneOfTheDemosSecrets() {
        Map<String, String> demo = Map.of("PATH", "/usr/bin", "HOME", "/home/u",
                "REWARD_JUDGE_API_KEY", "sk-judge", "AWS_SECRET_ACCESS_KEY", "aws",
                "KAFKA_SASL_JAAS_CONFIG", "someone else's login");

        Map<String, String> child = ChildEnvironment.of(demo,
                Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "DJL_OFFLINE", "true"));

        assertThat(child).containsOnly(Map.entry("PATH", "/usr/bin"),
                Map.entry("HOME", "/home/u"), Map.entry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                Map.entry("DJL_OFFLINE", "true"));
    }

    @Test
    void aSpecPrintsItsEnvironmentsNamesNotItsValues() {
        ServiceSpec spec = ServiceSpec.packaged(Path.of("."), "reward-service", 1, "1g", Map.of())
                .withEnvironment(Map.of("REWARD_JUDGE_API_KEY", "sk-judge",
                        "KAFKA_SASL_JAAS_CONFIG", "password=\"p\""));

        assertThat(spec.toString()).contains("REWARD_JUDGE_API_KEY", "KAFKA_SASL_JAAS_CONFIG")
                .doesNotContain("sk-judge", "password=");
    }
}
