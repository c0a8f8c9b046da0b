package ai.collectiveagency.reward.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up checks on the real config mapping, built from properties as a user writes them. */
class RewardConfigChecksTest {

    static RewardConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(RewardConfig.class)
                // Quarkus's converter, for durations written as in application.properties (30s).
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(RewardConfig.class);
    }

    @Test
    void noScorerIsRefusedNamingTheKey() {
        assertThat(RewardConfigChecks.problems(config(Map.of())))
                .containsExactly("reward.scorers must give at least one scorer a weight other "
                        + "than 0, e.g. reward.scorers.judge=1 (judge, self, onnx, negotiation or "
                        + "embedding)");
    }

    @Test
    void aJudgeWithoutEndpointOrModelAndAnUnknownRubricAreNamed() {
        assertThat(RewardConfigChecks.problems(config(Map.of("reward.scorers.judge", "1",
                "reward.judge.rubric", "kindness")))).containsExactly(
                "reward.judge.base-url must name an OpenAI-compatible endpoint",
                "reward.judge.model must name the judge model",
                "reward.judge.rubric: no rubric 'kindness': shipped are ca and "
                        + "conflict-resolution, or give the path of a .json file");
    }

    @Test
    void anUnknownScorerAndAMissingOnnxFolderAreNamed() {
        assertThat(RewardConfigChecks.problems(config(Map.of("reward.scorers.magic", "1",
                "reward.scorers.onnx", "1", "reward.onnx.model", "no/such/folder"))))
                .containsExactlyInAnyOrder(
                        "reward.scorers.magic: unknown scorer; use judge, self, onnx, "
                                + "negotiation or embedding",
                        "reward.onnx.model must be a folder, was "
                                + Path.of("no/such/folder").toAbsolutePath());
    }

    @Test
    void aWorkingJudgeConfigPasses() {
        assertThat(RewardConfigChecks.problems(config(Map.of("reward.scorers.judge", "1",
                "reward.judge.base-url", "http://localhost:8000/v1",
                "reward.judge.model", "m")))).isEmpty();
    }

    @Test
    void aJudgeKeyOverPlainHttpToAHostOtherThanLoopbackStopsTheStartNamingTheKey() {
        Map<String, String> judge = Map.of("reward.scorers.judge", "1",
                "reward.judge.base-url", "http://judge.example.com/v1",
                "reward.judge.model", "m", "reward.judge.api-key", "sk-judge-secret");

        assertThat(RewardConfigChecks.problems(config(judge))).singleElement().asString()
                .contains("reward.judge.api-key", "reward.judge.allow-insecure=true")
                .doesNotContain("sk-judge-secret");
        java.util.Map<String, String> allowed = new java.util.HashMap<>(judge);
        allowed.put("reward.judge.allow-insecure", "true");
        assertThat(RewardConfigChecks.problems(config(allowed))).isEmpty();
        assertThat(config(judge).judge().toString()).doesNotContain("sk-judge-secret");
        assertThat(config(allowed).judge().endpoint().toString())
                .doesNotContain("sk-judge-secret");
    }
}
