package ai.collectiveagency.rollout.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A vLLM-compatible engine on loopback for tests: a real HTTP server (the JDK's) that records
 * every request and answers it as its {@link Script} says. {@link #standard} answers
 * {@code /v1/completions} with fixed token ids and adapter loads and unloads with 200.
 */
public final class ScriptedEngine implements AutoCloseable {

    static final String COMPLETIONS = "/v1/completions";
    static final String LOAD = "/v1/load_lora_adapter";
    static final String UNLOAD = "/v1/unload_lora_adapter";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the engine received it. */
    public record Call(String path, JsonNode body, String authorization) {

        /** The {@code model} (completions) or {@code lora_name} (adapters) it names. */
        String model() {
            return body.has("model") ? body.path("model").asText()
                    : body.path("lora_name").asText();
        }
    }

    /** What the engine answers: a status and a body. */
    public record Reply(int status, String body) {
    }

    /** The engine's behaviour: one reply per call (it may block, calls run concurrently). */
    @FunctionalInterface
    public interface Script {
        Reply answer(Call call) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "scripted-engine");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Script script;

    public ScriptedEngine(Script script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Completions of {@code ids} (each at log-prob -0.5, finish "stop"), adapters loaded. */
    public static Script standard(int... ids) {
        return call -> switch (call.path()) {
            case COMPLETIONS -> completion(ids, "stop");
            case LOAD, UNLOAD -> new Reply(200, "Success: LoRA adapter '" + call.model()
                    + "' handled.");
            default -> new Reply(404, "{\"detail\":\"Not Found\"}");
        };
    }

    /** vLLM's answer to a completion of {@code ids} at log-prob -0.5 each. */
    public static Reply completion(int[] ids, String finishReason) {
        double[] logprobs = new double[ids.length];
        java.util.Arrays.fill(logprobs, -0.5);
        return completion(ids, logprobs, finishReason);
    }

    /** vLLM's answer to a completion with {@code return_tokens_as_token_ids}. */
    public static Reply completion(int[] ids, double[] logprobs, String finishReason) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("object", "text_completion");
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", "ignored");
        ObjectNode logprobsNode = choice.putObject("logprobs");
        ArrayNode tokens = logprobsNode.putArray("tokens");
        ArrayNode values = logprobsNode.putArray("token_logprobs");
        for (int i = 0; i < ids.length; i++) {
            tokens.add("token_id:" + ids[i]);
            values.add(logprobs[i]);
        }
        choice.put("finish_reason", finishReason);
        return new Reply(200, answer.toString());
    }

    /** vLLM's error body for {@code status}. */
    public static Reply error(int status, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("object", "error");
        error.put("message", message);
        error.put("code", status);
        return new Reply(status, error.toString());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request so far, in arrival order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests so far to {@code path}. */
    public List<Call> calls(String path) {
        return calls.stream().filter(call -> call.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            JsonNode body = request.length == 0 ? JSON.createObjectNode() : JSON.readTree(request);
            Call call = new Call(exchange.getRequestURI().getPath(), body,
                    exchange.getRequestHeaders().getFirst("Authorization"));
            calls.add(call);
            try {
                reply = script.answer(call);
            } catch (Exception e) {
                reply = new Reply(500, "script failed: " + e);
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reply.body().startsWith("{")
                    ? "application/json" : "text/plain");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
