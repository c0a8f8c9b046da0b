package ai.collectiveagency.llm;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/**
 * Where one OpenAI-compatible chat endpoint is, as a SmallRye config group: {@code base-url},
 * {@code model}, its key ({@code api-key}) and whether that key may travel in clear text
 * ({@code allow-insecure}). Every service's settings for an LLM endpoint extend it (most through
 * {@link ChatGuardConfig}), so they name these keys alike and refuse an exposed key alike.
 * Neither this group nor its generated implementation prints the key: do not declare
 * {@code toString()} here (SmallRye would then print every value).
 */
public interface ChatEndpointConfig {

    /** API root of an OpenAI-compatible endpoint, e.g. {@code http://localhost:8000/v1}. */
    Optional<URI> baseUrl();

    /** Model name sent with each request. */
    Optional<String> model();

    /**
     * Bearer token; set it through the environment (the key upper-cased, e.g.
     * {@code REWARD_JUDGE_API_KEY}), never on a command line.
     */
    Optional<String> apiKey();

    /**
     * Allows sending {@code api-key} over plain {@code http} to a host other than loopback: only
     * on a network you trust. Without it such a setting stops the start.
     */
    @WithDefault("false")
    boolean allowInsecure();

    /**
     * The endpoint these settings describe; check {@link #insecureKey} first.
     *
     * @throws java.util.NoSuchElementException without a base URL or model
     */
    default ChatEndpoint endpoint() {
        return new ChatEndpoint(baseUrl().orElseThrow(), model().orElseThrow(), apiKey(),
                allowInsecure());
    }

    /**
     * The refusal, naming {@code <prefix>.api-key} and {@code <prefix>.allow-insecure}, of a key
     * that would go over plain http to a host other than loopback; empty when it would not.
     */
    default Optional<String> insecureKey(String prefix) {
        return baseUrl().flatMap(url -> ChatEndpoint.insecureKey(url, apiKey(), allowInsecure(),
                prefix + ".api-key", prefix + ".allow-insecure=true"));
    }
}
