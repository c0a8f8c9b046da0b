package ai.collectiveagency.llm;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an OpenAI-compatible chat model answers.
 *
 * @param baseUrl the API root as OpenAI clients take it, e.g. {@code https://api.openai.com/v1}
 *     or {@code http://localhost:8000/v1}; requests go to {@code <baseUrl>/chat/completions}
 * @param model the model name sent with each request
 * @param apiKey sent as a bearer token when present
 */
public record ChatEndpoint(URI baseUrl, String model, Optional<String> apiKey) {

    public ChatEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(apiKey, "apiKey");
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("base URL must be http or https, was " + baseUrl);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model name is empty");
        }
        apiKey = apiKey.filter(key -> !key.isBlank());
    }

    /** The chat completions URL under {@link #baseUrl}. */
    public URI chatCompletions() {
        String root = baseUrl.toString();
        return URI.create(root.endsWith("/") ? root + "chat/completions"
                : root + "/chat/completions");
    }
}
