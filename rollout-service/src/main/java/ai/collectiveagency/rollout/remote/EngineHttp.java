package ai.collectiveagency.rollout.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * JSON over HTTP to one {@link Engine}: a POST with the API key, answered 200 with a JSON body
 * or failed with an {@link EngineCallException} that says whether to try again.
 */
final class EngineHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final ObjectMapper mapper;
    private final Optional<String> apiKey;
    private final Duration timeout;

    EngineHttp(ObjectMapper mapper, Optional<String> apiKey, Duration timeout) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build();
        this.mapper = mapper;
        this.apiKey = apiKey.filter(key -> !key.isBlank());
        this.timeout = timeout;
    }

    /**
     * Posts {@code body} as JSON to {@code path} of {@code engine}.
     *
     * @return the answer's body, parsed (a text answer, as vLLM gives to adapter loads, is a
     *     JSON string node)
     */
    JsonNode post(Engine engine, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(engine.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)));
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new EngineCallException(engine + "/" + path + " did not answer within "
                    + timeout, EngineCallException.NO_STATUS, true, e);
        } catch (IOException e) {
            throw new EngineCallException(engine + "/" + path + ": " + e, EngineCallException
                    .NO_STATUS, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineCallException(engine + "/" + path + ": interrupted",
                    EngineCallException.NO_STATUS, false, e);
        }
        if (response.statusCode() != 200) {
            throw EngineCallException.status(engine, path, response.statusCode(),
                    response.body());
        }
        try {
            return mapper.readTree(response.body());
        } catch (JsonProcessingException e) {
            return mapper.getNodeFactory().textNode(response.body());
        }
    }

    private byte[] json(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON", e);
        }
    }
}
