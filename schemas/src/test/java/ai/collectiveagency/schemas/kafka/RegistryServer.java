package ai.collectiveagency.schemas.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback with the part of the Confluent-compatible schema registry API
 * that serdes use: {@code POST /subjects/{subject}/versions} (the same schema text gets the same
 * id) and {@code GET /schemas/ids/{id}} (404 with error code 40403 for an unknown id). Made
 * with a user and password, it answers 401 to a request without those basic credentials.
 */
final class RegistryServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final List<String> subjects = new CopyOnWriteArrayList<>();
  private final Optional<String> expectedAuthorization;

  RegistryServer() throws IOException {
    this(Optional.empty());
  }

  /** A registry that wants {@code userInfo} ({@code user:password}) with every request. */
  RegistryServer(Optional<String> userInfo) throws IOException {
    expectedAuthorization = userInfo.map(info -> "Basic " + Base64.getEncoder()
        .encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/subjects/", exchange -> authorized(exchange, this::register));
    server.createContext("/schemas/ids/", exchange -> authorized(exchange, this::fetch));
    server.start();
  }

  private void authorized(HttpExchange exchange, HttpHandler handler) throws IOException {
    if (expectedAuthorization.isPresent() && !expectedAuthorization.get()
        .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      reply(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
      return;
    }
    handler.handle(exchange);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Subjects registered under, in order, one entry per request. */
  List<String> subjects() {
    return List.copyOf(subjects);
  }

  private void register(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String subject = URLDecoder.decode(path.substring("/subjects/".length(),
        path.length() - "/versions".length()), StandardCharsets.UTF_8);
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    String schema = body.path("schema").asText();
    int id = ids.computeIfAbsent(schema, s -> {
      int next = ids.size() + 1;
      schemas.put(next, s);
      return next;
    });
    subjects.add(subject);
    reply(exchange, 200, "{\"id\":" + id + "}");
  }

  private void fetch(HttpExchange exchange) throws IOException {
    int id = Integer.parseInt(exchange.getRequestURI().getPath()
        .substring("/schemas/ids/".length()));
    String schema = schemas.get(id);
    if (schema == null) {
      reply(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema " + id + " not found\"}");
      return;
    }
    reply(exchange, 200, JSON.createObjectNode().put("schema", schema).toString());
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
