package ai.collectiveagency.llm;

import ai.collectiveagency.schemas.net.LoopbackHost;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an OpenAI-compatible chat model answers.
 *
 * <p>The API key is a bearer token: it never goes over plain {@code http} to a host other than
 * loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), where anyone on the path could
 * read it, unless {@code allowInsecure} says the network is trusted. {@link #toString()} hides it.
 *
 * @param baseUrl the API root as OpenAI clients take it, e.g. {@code https://api.openai.com/v1}
 *     or {@code http://localhost:8000/v1}; requests go to {@code <baseUrl>/chat/completions}
 * @param model the model name sent with each request
 * @param apiKey sent as a bearer token when present
 * @param allowInsecure whether the key may go over plain http to a host other than loopback
 */
public record ChatEndpoint(URI baseUrl, String model, Optional<String> apiKey,
        boolean allowInsecure) {

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
        insecureKey(baseUrl, apiKey, allowInsecure, "the API key", "allow-insecure")
                .ifPresent(problem -> {
                    throw new IllegalArgumentException(problem);
                });
    }

    /** An endpoint whose key may only go over https or to loopback. */
    public ChatEndpoint(URI baseUrl, String model, Optional<String> apiKey) {
        this(baseUrl, model, apiKey, false);
    }

    /** The chat completions URL under {@link #baseUrl}. */
    public URI chatCompletions() {
        String root = baseUrl.toString();
        return URI.create(root.endsWith("/") ? root + "chat/completions"
                : root + "/chat/completions");
    }

    /**
     * The refusal, naming {@code key} and the setting that allows it, of a key that would go
     * over plain http to a host other than loopback; empty when it would not (no key, https,
     * loopback, or allowed).
     */
    public static Optional<String> insecureKey(URI url, Optional<String> apiKey,
            boolean allowInsecure, String key, String allowSetting) {
        if (allowInsecure || apiKey.filter(k -> !k.isBlank()).isEmpty()
                || !LoopbackHost.cleartextOffMachine(url)) {
            return Optional.empty();
        }
        return Optional.of("refusing to send " + key + " over plain http to " + url.getHost()
                + ", which is not a loopback address (anyone on the way could read it): use "
                + "https, or set " + allowSetting + " on a network you trust");
    }

    /** The endpoint with its key hidden. */
    @Override
    public String toString() {
        return "ChatEndpoint[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey.isPresent() ? "[hidden]" : "none") + ", allowInsecure="
                + allowInsecure + "]";
    }
}
