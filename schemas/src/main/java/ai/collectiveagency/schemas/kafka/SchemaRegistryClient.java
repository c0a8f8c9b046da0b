package ai.collectiveagency.schemas.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The two calls a serde makes to a schema registry that speaks the Confluent-compatible REST API
 * (Confluent Schema Registry, Apicurio Registry's {@code /apis/ccompat/v7}, Karapace, Redpanda):
 * register a writer schema under a subject ({@code POST /subjects/{subject}/versions}, which
 * returns the existing id for a schema already registered) and fetch a schema by id
 * ({@code GET /schemas/ids/{id}}). Both answers are cached: ids never change meaning.
 *
 * <p>Written over the JDK's HTTP client because the registries' own Avro serdes are not on Maven
 * Central (Confluent's) or speak only their native API (Apicurio's); these two calls are all a
 * serde needs. Thread-safe.
 */
final class SchemaRegistryClient {

  /** The serde setting that names the registry, e.g. {@code http://registry:8081}. */
  static final String URL_CONFIG = "schema.registry.url";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

  SchemaRegistryClient(String url) {
    String root = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.base = URI.create(root);
  }

  /** The registry's id of {@code schema} under {@code subject}, registering it if new. */
  int register(String subject, Schema schema) {
    return ids.computeIfAbsent(subject + "\n" + schema.toString(), key -> {
      String body = JSON.createObjectNode().put("schemaType", "AVRO")
          .put("schema", schema.toString()).toString();
      JsonNode answer = call(HttpRequest.newBuilder(URI.create(base + "/subjects/"
          + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions"))
          .header("Content-Type", "application/vnd.schemaregistry.v1+json")
          .POST(HttpRequest.BodyPublishers.ofString(body)), "register " + subject);
      return answer.path("id").asInt(-1);
    });
  }

  /** The schema with registry id {@code id}. */
  Schema schema(int id) {
    return schemas.computeIfAbsent(id, key -> new Schema.Parser().parse(
        call(HttpRequest.newBuilder(URI.create(base + "/schemas/ids/" + id)).GET(),
            "fetch schema id " + id).path("schema").asText()));
  }

  private JsonNode call(HttpRequest.Builder request, String what) {
    try {
      HttpResponse<String> response = http.send(request.timeout(TIMEOUT)
          .header("Accept", "application/vnd.schemaregistry.v1+json, application/json")
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new SerializationException("schema registry " + base + " could not " + what
            + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SerializationException("schema registry " + base + " could not " + what
          + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SerializationException("interrupted while asking " + base + " to " + what,
          e);
    }
  }
}
