package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Start-up checks of the API settings, and the key comparison, without a server. */
class ApiConfigChecksTest {

    private record ReasoningConfig(int defaultThinkerTokens, int maxThinkerTokens,
            Optional<Path> prompts) implements ApiConfig.Reasoning {
    }

    private record Config(Auth auth, Optional<List<String>> keys, int maxN, int maxSequences,
            int maxQueued, Duration timeout, int defaultMaxTokens, Reasoning reasoning)
            implements ApiConfig {

        Config(Auth auth, Optional<List<String>> keys, int maxN, int maxSequences,
                int maxQueued, Duration timeout, int defaultMaxTokens) {
            this(auth, keys, maxN, maxSequences, maxQueued, timeout, defaultMaxTokens,
                    new ReasoningConfig(256, 4096, Optional.empty()));
        }

        Config withReasoning(Reasoning settings) {
            return new Config(auth, keys, maxN, maxSequences, maxQueued, timeout,
                    defaultMaxTokens, settings);
        }

        @Override
        public Duration batchWindow() {
            return Duration.ofMillis(10);
        }

        @Override
        public int maxBatchSequences() {
            return 64;
        }

        @Override
        public boolean runtimeLora() {
            return false;
        }

        @Override
        public int maxLoras() {
            return 4;
        }

        static Config keys(String... keys) {
            return new Config(Auth.API_KEY, Optional.of(List.of(keys)), 16, 64, 16,
                    Duration.ofSeconds(120), 256);
        }

        static Config none() {
            return new Config(Auth.NONE, Optional.empty(), 16, 64, 16, Duration.ofSeconds(120),
                    256);
        }
    }

    @Test
    void withoutAKeyStartUpNamesTheKey() {
        assertThat(ApiConfigChecks.problems(Config.keys(" ", ""), "0.0.0.0"))
                .singleElement().asString().startsWith("rollout.api.keys (env ROLLOUT_API_KEYS)");
        assertThat(ApiConfigChecks.problems(new Config(ApiConfig.Auth.API_KEY, Optional.empty(),
                16, 64, 16, Duration.ofSeconds(1), 1), "0.0.0.0")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]",
            "0:0:0:0:0:0:0:1"})
    void noAuthenticationIsAcceptedOnLoopback(String host) {
        assertThat(ApiConfigChecks.problems(Config.none(), host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "example.com",
            "localhost.example.com", ""})
    void noAuthenticationIsRefusedWhereOtherHostsCanCall(String host) {
        assertThat(ApiConfigChecks.problems(Config.none(), host)).singleElement().asString()
                .startsWith("rollout.api.auth=none is only allowed while the API binds a "
                        + "loopback address");
    }

    @Test
    void limitsBelowOneAndNoTimeoutAreRefusedByName() {
        Config config = new Config(ApiConfig.Auth.API_KEY, Optional.of(List.of("k")), 0, 0, 0,
                Duration.ZERO, 0);

        assertThat(ApiConfigChecks.problems(config, "0.0.0.0")).containsExactly(
                "rollout.api.max-n must be >= 1, was 0",
                "rollout.api.max-sequences must be >= 1, was 0",
                "rollout.api.max-queued must be >= 1, was 0",
                "rollout.api.default-max-tokens must be >= 1, was 0",
                "rollout.api.timeout must be > 0, was PT0S");
    }

    @Test
    void reasoningSettingsAndAnUnusablePromptsFolderAreRefusedByName(@TempDir Path folder)
            throws IOException {
        Files.writeString(folder.resolve("heard.txt"), "news without a place for it");
        Config config = Config.keys("k").withReasoning(new ReasoningConfig(10, 5,
                Optional.of(folder)));

        assertThat(ApiConfigChecks.problems(config, "0.0.0.0")).containsExactly(
                "rollout.api.reasoning.default-thinker-tokens must lie in [0, "
                        + "rollout.api.reasoning.max-thinker-tokens = 5], was 10",
                "rollout.api.reasoning.prompts (" + folder.toAbsolutePath() + "): the "
                        + "async-reasoning prompt heard.txt must contain {text}, where the "
                        + "arriving text goes");
        assertThat(ApiConfigChecks.problems(Config.keys("k").withReasoning(new ReasoningConfig(
                0, 1, Optional.of(folder.resolve("missing")))), "0.0.0.0")).singleElement()
                .asString().startsWith("rollout.api.reasoning.prompts must be a folder");
        Files.delete(folder.resolve("heard.txt"));
        Files.writeString(folder.resolve("thinker-system.txt"), "think");
        assertThat(ApiConfigChecks.problems(Config.keys("k").withReasoning(new ReasoningConfig(
                0, 1, Optional.of(folder))), "0.0.0.0")).isEmpty();
    }

    @Test
    void anyOfTheKeysIsAdmittedAndNothingElse() {
        ApiKeys keys = ApiKeys.of(Config.keys("old-key", " new-key "));

        assertThat(keys.admits("Bearer old-key")).isTrue();
        assertThat(keys.admits("bearer new-key")).isTrue();
        assertThat(keys.admits("Bearer new-key ")).isTrue();
        for (String refused : List.of("Bearer old", "Bearer old-key2", "Bearer OLD-KEY",
                "Bearer ", "old-key", "Basic old-key", "")) {
            assertThat(keys.admits(refused)).as(refused).isFalse();
        }
        assertThat(keys.admits(null)).isFalse();
    }
}
