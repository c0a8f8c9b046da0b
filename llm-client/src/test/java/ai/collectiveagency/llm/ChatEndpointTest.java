package ai.collectiveagency.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatEndpointTest {

    private static final String KEY = "sk-live-0123456789";

    /** A service's endpoint settings, as prompts.llm and reward.judge declare them. */
    @ConfigMapping(prefix = "test.llm")
    interface TestEndpoint extends ChatGuardConfig {
    }

    private static TestEndpoint config(Map<String, String> properties) {
        // The defaults are written as Quarkus writes durations (30s); Quarkus is not here.
        Converter<Duration> durations = value -> Duration.parse("PT" + value.toUpperCase());
        return new SmallRyeConfigBuilder().withMapping(TestEndpoint.class)
                .withConverter(Duration.class, 100, durations)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(TestEndpoint.class);
    }

    @Test
    void toStringHidesTheKey() {
        ChatEndpoint endpoint = new ChatEndpoint(URI.create("https://api.example.com/v1"),
                "judge", Optional.of(KEY));

        assertThat(endpoint.toString()).contains("https://api.example.com/v1", "judge",
                "[hidden]").doesNotContain(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://judge.example.com/v1", "http://10.0.0.7:8000/v1",
        "http://127.0.0.1.example.com/v1"})
    void aKeyOverPlainHttpToAHostOtherThanLoopbackIsRefused(String url) {
        assertThatThrownBy(() -> new ChatEndpoint(URI.create(url), "judge", Optional.of(KEY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain http").hasMessageNotContaining(KEY);
        assertThatCode(() -> new ChatEndpoint(URI.create(url), "judge", Optional.of(KEY), true))
                .as("allowed explicitly").doesNotThrowAnyException();
        assertThatCode(() -> new ChatEndpoint(URI.create(url), "judge", Optional.empty()))
                .as("no key to leak").doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://judge.example.com/v1", "http://localhost:8000/v1",
        "http://127.0.0.1:8000/v1", "http://127.1.2.3/v1", "http://[::1]:8000/v1"})
    void aKeyGoesOverHttpsOrToLoopback(String url) {
        assertThatCode(() -> new ChatEndpoint(URI.create(url), "judge", Optional.of(KEY)))
                .doesNotThrowAnyException();
    }

    @Test
    void theSettingsRefuseAnInsecureKeyNamingItsKeysAndNeverPrintIt() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "test.llm.base-url", "http://judge.example.com/v1",
                "test.llm.model", "judge", "test.llm.api-key", KEY));
        TestEndpoint insecure = config(properties);
        properties.put("test.llm.allow-insecure", "true");
        TestEndpoint allowed = config(properties);

        assertThat(insecure.problems("test.llm")).singleElement().asString()
                .contains("test.llm.api-key", "judge.example.com",
                        "test.llm.allow-insecure=true").doesNotContain(KEY);
        assertThat(allowed.problems("test.llm")).isEmpty();
        assertThat(allowed.endpoint().apiKey()).contains(KEY);
        assertThat(insecure.toString()).doesNotContain(KEY);
        assertThat(allowed.endpoint().toString()).doesNotContain(KEY);
    }
}
