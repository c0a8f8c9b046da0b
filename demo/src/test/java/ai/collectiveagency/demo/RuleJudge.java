package ai.collectiveagency.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A learnable synthetic judge: a real HTTP server answering {@code /v1/chat/completions} in the
 * OpenAI format, scoring the judged text (the {@code "text"} of the user message's JSON) by the
 * share of vowels among its letters, 0 to 100, on a one-dimension rubric it writes to a file.
 * A random policy can learn to raise it quickly: it only has to prefer some tokens.
 */
final class RuleJudge implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    RuleJudge() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** Writes the rubric this judge scores by into {@code folder}; returns its path. */
    static Path writeRubric(Path folder) throws IOException {
        Path rubric = folder.resolve("signal.json");
        Files.writeString(rubric, """
                {"id": "signal", "version": "1", "title": "Synthetic signal",
                 "judged": "a text", "instructions": "Score the share of vowels.",
                 "scale": {"min": 0, "max": 100},
                 "dimensions": [{"key": "signal", "name": "Signal",
                                 "description": "share of vowels among the letters"}],
                 "aggregate": "mean"}
                """);
        return rubric;
    }

    /** The score of {@code text}: vowels per letter, 0 to 100. */
    static int score(String text) {
        int letters = 0;
        int vowels = 0;
        for (char c : text.toLowerCase().toCharArray()) {
            if (Character.isLetter(c)) {
                letters++;
                if ("aeiou".indexOf(c) >= 0) {
                    vowels++;
                }
            }
        }
        return letters == 0 ? 0 : Math.round(100f * vowels / letters);
    }

    private void answer(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String text = JSON.readTree(request.at("/messages/1/content").asText()).path("text")
                .asText("");
        String content = "{\"scores\": {\"signal\": " + score(text) + "}, \"rationale\": \"rule\"}";
        ObjectNode reply = JSON.createObjectNode().put("id", "rule").put("object",
                "chat.completion").put("model", "rule");
        ObjectNode choice = reply.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        byte[] body = reply.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
