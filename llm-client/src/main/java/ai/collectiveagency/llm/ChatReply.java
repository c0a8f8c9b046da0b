package ai.collectiveagency.llm;

import java.net.http.HttpHeaders;
import java.util.Objects;

/** The first choice's message content of a chat completion, and the reply's HTTP headers. */
public record ChatReply(String content, HttpHeaders headers) {

    public ChatReply {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(headers, "headers");
    }
}
