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
        if (apiKey.isPresent() && !allowInsecure && exposesKey(baseUrl)) {
            throw new IllegalArgumentException(insecureKeyMessage("the API key", baseUrl,
                    "allow-insecure"));
        }
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

    /** Whether a bearer token sent to {@code url} would cross a network in clear text. */
    public static boolean exposesKey(URI url) {
        return "http".equalsIgnoreCase(url.getScheme()) && !LoopbackHost.is(url.getHost());
    }

    /**
     * The refusal of a key about to go in clear text to {@code url}, naming the key and the
     * setting that allows it.
     */
    public static String insecureKeyMessage(String key, URI url, String allowSetting) {
        return "refusing to send " + key + " over plain http to " + url.getHost()
                + ", which is not a loopback address (anyone on the way could read it): use "
                + "https, or set " + allowSetting + " on a network you trust";
    }

    /** The endpoint with its key hidden. */
    @Override
    public String toString() {
        return "ChatEndpoint[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey.isPresent() ? "[hidden]" : "none") + ", allowInsecure="
                + allowInsecure + "]";
    }
}
