package ai.collectiveagency.rollout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.rollout.remote.RemoteEngines;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code rollout.generation=remote} with bad {@code rollout.remote.*} values: each stops start-up
 * with a problem naming its key; good ones resolve to the engines' settings.
 */
class RemoteConfigChecksTest {

    @Test
    void localGenerationNeedsNoEngines() throws IOException {
        assertThat(RolloutConfigChecks.problems(config(Map.of()))).isEmpty();
    }

    @Test
    void remoteGenerationWithoutUrlsIsRefused() throws IOException {
        assertThat(RolloutConfigChecks.problems(config(Map.of("rollout.generation", "remote"))))
                .singleElement().asString().startsWith("rollout.remote.urls must name the"
                        + " inference engines");
    }

    @Test
    void anEngineUrlThatIsNotHttpIsRefused() throws IOException {
        assertThat(RolloutConfigChecks.problems(remote(Map.of("rollout.remote.urls",
                "http://vllm:8000,ftp://vllm:21"))))
                .containsExactly("rollout.remote.urls: 'ftp://vllm:21' must be an http or https"
                        + " URL with a host");
        assertThat(RolloutConfigChecks.problems(remote(Map.of("rollout.remote.urls",
                "vllm:8000")))).singleElement().asString().startsWith("rollout.remote.urls:");
    }

    @Test
    void anApiKeyOverPlainHttpOffTheMachineIsRefusedUnlessAllowed() throws IOException {
        Map<String, String> overNetwork = Map.of("rollout.remote.urls", "http://vllm:8000",
                "rollout.remote.api-key", "engine-key");

        assertThat(RolloutConfigChecks.problems(remote(overNetwork))).singleElement().asString()
                .contains("rollout.remote.api-key").contains("vllm")
                .contains("rollout.remote.allow-insecure=true").doesNotContain("engine-key");

        Map<String, String> allowed = new HashMap<>(overNetwork);
        allowed.put("rollout.remote.allow-insecure", "true");
        assertThat(RolloutConfigChecks.problems(remote(allowed))).isEmpty();
        assertThat(RolloutConfigChecks.problems(remote(Map.of("rollout.remote.urls",
                "http://127.0.0.1:8000,https://vllm.example.org", "rollout.remote.api-key",
                "engine-key")))).isEmpty();
        assertThat(RolloutConfigChecks.problems(remote(Map.of("rollout.remote.urls",
                "http://vllm:8000")))).as("no key, nothing to leak").isEmpty();
    }

    @Test
    void badLimitsAreEachNamed() throws IOException {
        List<String> problems = RolloutConfigChecks.problems(remote(Map.of(
                "rollout.remote.urls", "http://vllm:8000",
                "rollout.remote.timeout", "0s",
                "rollout.remote.max-retries", "-1",
                "rollout.remote.retry-delay", "-1s",
                "rollout.remote.max-concurrency", "0",
                "rollout.remote.resolve-interval", "0s",
                "rollout.remote.model-name", " ")));

        assertThat(problems).extracting(problem -> problem.substring(0, problem.indexOf(' ')))
                .containsExactlyInAnyOrder("rollout.remote.timeout",
                        "rollout.remote.max-retries", "rollout.remote.retry-delay",
                        "rollout.remote.max-concurrency", "rollout.remote.resolve-interval",
                        "rollout.remote.model-name");
    }

    @Test
    void goodSettingsResolveToTheEngines() throws IOException {
        RemoteEngines.Settings settings = RemoteEngines.Settings.of(remote(Map.of(
                "rollout.remote.urls", " http://vllm-0:8000 , https://vllm.example.org/",
                "rollout.remote.max-retries", "5")));

        assertThat(settings.urls()).containsExactly(URI.create("http://vllm-0:8000"),
                URI.create("https://vllm.example.org/"));
        assertThat(settings.baseModel()).as("the model folder's name")
                .isEqualTo("qwen2-tiny-random");
        assertThat(settings.maxRetries()).isEqualTo(5);
        assertThat(settings.apiKey()).isEqualTo(Optional.empty());

        assertThat(RemoteEngines.Settings.of(remote(Map.of("rollout.remote.urls",
                "http://vllm:8000", "rollout.remote.model-name", "Qwen/Qwen2.5-0.5B"))).baseModel())
                .isEqualTo("Qwen/Qwen2.5-0.5B");
        assertThatThrownBy(() -> RemoteEngines.Settings.of(config(Map.of(
                "rollout.generation", "remote")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollout.remote.urls");
    }

    private static RolloutConfig remote(Map<String, String> overrides) throws IOException {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("rollout.generation", "remote");
        return config(all);
    }

    /** The service's application.properties on the tests' model, with {@code overrides}. */
    private static RolloutConfig config(Map<String, String> overrides) throws IOException {
        Map<String, String> commandLine = new HashMap<>(overrides);
        commandLine.put("rollout.model", "../models/qwen2-tiny-random");
        return new SmallRyeConfigBuilder().withMapping(RolloutConfig.class)
                .addDefaultInterceptors().withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(
                        RemoteConfigChecksTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(commandLine, "command line", 400))
                .build().getConfigMapping(RolloutConfig.class);
    }
}
