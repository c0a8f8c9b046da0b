package ai.collectiveagency.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback that answers {@code POST /v1/chat/completions} in the OpenAI
 * format from a script of replies, one per request; when the script runs out the last reply
 * repeats. Records each request's body and headers.
 */
public final class ScriptedChatServer implements AutoCloseable {

    /** One scripted reply: an HTTP status and body, sent after a delay. */
    public record Reply(int status, String body, Duration delay) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private volatile Reply last = status(500, "{\"error\":\"no reply scripted\"}");
    private final Map<String, String> replyHeaders = new ConcurrentHashMap<>();

    public ScriptedChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** The base URL an OpenAI client takes: {@code http://127.0.0.1:<port>/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** Appends replies to the script. */
    public ScriptedChatServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Adds {@code name: value} to every reply from now on. */
    public ScriptedChatServer withHeader(String name, String value) {
        replyHeaders.put(name, value);
        return this;
    }

    /** A 200 chat completion whose message content is {@code content}. */
    public static Reply answer(String content) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-test").put("object", "chat.completion").put("model", "m");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        return new Reply(200, body.toString(), Duration.ZERO);
    }

    /** {@code content}, after {@code delay}. */
    public static Reply slowAnswer(String content, Duration delay) {
        return new Reply(200, answer(content).body(), delay);
    }

    public static Reply status(int status, String body) {
        return new Reply(status, body, Duration.ZERO);
    }

    /** Request bodies received, in order. */
    public List<String> bodies() {
        return new ArrayList<>(bodies);
    }

    /** Request headers received, in order (names as the server saw them). */
    public List<Map<String, List<String>>> headers() {
        return new ArrayList<>(headers);
    }

    private void handle(HttpExchange exchange) throws IOException {
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        headers.add(Map.copyOf(exchange.getRequestHeaders()));
        Reply reply = script.poll();
        if (reply == null) {
            reply = last;
        } else {
            last = reply;
        }
        try {
            Thread.sleep(reply.delay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        replyHeaders.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        try {
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // The client timed out and closed the connection: nothing left to answer.
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
