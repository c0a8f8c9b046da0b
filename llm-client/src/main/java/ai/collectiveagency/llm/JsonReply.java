package ai.collectiveagency.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.util.Objects;

/** A validated JSON answer and the HTTP headers of the reply that carried it. */
public record JsonReply(JsonNode json, HttpHeaders headers) {

    public JsonReply {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(headers, "headers");
    }
}
