package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain HTTP against the API, with the JDK's client: raw bodies in, status and JSON out. Sends
 * the {@code %test} profile's first API key unless told otherwise.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The keys of {@code %test.rollout.api.keys}. */
    static final String KEY = "test-key-1";
    static final String OTHER_KEY = "test-key-2";
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final URI base;
    private final String authorization;

    ApiClient(URI base) {
        this(base, KEY);
    }

    /** A client sending {@code key} as its bearer token; null sends no Authorization. */
    ApiClient(URI base, String key) {
        this(base, key, true);
    }

    private ApiClient(URI base, String value, boolean bearer) {
        this.base = base;
        this.authorization = value == null ? null : bearer ? "Bearer " + value : value;
    }

    /** A client sending {@code authorization} as its Authorization header as it is. */
    static ApiClient withAuthorization(URI base, String authorization) {
        return new ApiClient(base, authorization, false);
    }

    /** A response: status, body, the version header, the content type, all headers. */
    record Answer(int status, String body, String policyVersion, String contentType,
            java.net.http.HttpHeaders headers) {

        /** A header's first value, or null. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }

        /** The JSON of each {@code data:} event before {@code [DONE]}; fails without it. */
        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            boolean done = false;
            for (String line : body.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                if (!line.startsWith("data: ") || done) {
                    throw new AssertionError("not an SSE data line: " + line);
                }
                String data = line.substring("data: ".length());
                if (data.equals("[DONE]")) {
                    done = true;
                } else {
                    try {
                        events.add(JSON.readTree(data));
                    } catch (IOException e) {
                        throw new UncheckedIOException(data, e);
                    }
                }
            }
            if (!done) {
                throw new AssertionError("no data: [DONE] at the end");
            }
            return events;
        }
    }

    Answer post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer post(String path, Object body) {
        try {
            return post(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET of an absolute URL without a key, e.g. the management port's metrics. */
    static Answer fetch(java.net.URL url) {
        return send(HttpRequest.newBuilder(URI.create(url.toString())).GET());
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(120))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue(Responses.VERSION_HEADER).orElse(null),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
