package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.net.LoopbackHost;
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
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
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
 *
 * <p>Basic authentication follows Confluent's serde settings: {@code basic.auth.user.info}
 * ({@code user:password}) with {@code basic.auth.credentials.source=USER_INFO} (the source may be
 * left out when the user info is set), or {@code basic.auth.credentials.source=URL} for the user
 * info of the URL itself. TLS to an {@code https} registry is the JDK's: its default trust store,
 * or the one {@code javax.net.ssl.trustStore} names. Credentials are never sent over plain
 * {@code http} to a host other than loopback: such settings are refused when the serde is
 * configured.
 */
final class SchemaRegistryClient {

  /** The serde setting that names the registry, e.g. {@code http://registry:8081}. */
  static final String URL_CONFIG = "schema.registry.url";
  /** Where the credentials come from: {@code USER_INFO} or {@code URL}. */
  static final String CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
  /** {@code user:password} for HTTP basic authentication. */
  static final String USER_INFO_CONFIG = "basic.auth.user.info";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final Optional<String> authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

  SchemaRegistryClient(String url) {
    this(url, Optional.empty());
  }

  /**
   * @param userInfo {@code user:password} sent with basic authentication, when present
   */
  SchemaRegistryClient(String url, Optional<String> userInfo) {
    String root = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI given = URI.create(root);
    this.base = given.getUserInfo() == null ? given : URI.create(given.getScheme() + "://"
        + given.getRawAuthority().substring(given.getRawAuthority().indexOf('@') + 1)
        + (given.getRawPath() == null ? "" : given.getRawPath()));
    this.authorization = userInfo.map(info -> "Basic " + Base64.getEncoder()
        .encodeToString(info.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The registry a serde's {@code configs} name, with its credentials; empty without
   * {@code schema.registry.url}.
   *
   * @throws ConfigException for an unknown credentials source, a missing user info, or
   *     credentials that would go over plain http to a host other than loopback
   */
  static Optional<SchemaRegistryClient> configured(Map<String, ?> configs) {
    Object url = configs.get(URL_CONFIG);
    if (url == null || url.toString().isBlank()) {
      return Optional.empty();
    }
    URI uri = URI.create(url.toString());
    Object info = configs.get(USER_INFO_CONFIG);
    Object source = configs.get(CREDENTIALS_SOURCE_CONFIG);
    String chosen = source == null ? (info == null ? "URL" : "USER_INFO")
        : source.toString().trim().toUpperCase(Locale.ROOT);
    Optional<String> userInfo = switch (chosen) {
      case "USER_INFO" -> {
        if (info == null || !info.toString().contains(":")) {
          throw new ConfigException(USER_INFO_CONFIG + " must be user:password with "
              + CREDENTIALS_SOURCE_CONFIG + "=USER_INFO");
        }
        yield Optional.of(info.toString());
      }
      case "URL" -> Optional.ofNullable(uri.getUserInfo());
      default -> throw new ConfigException(CREDENTIALS_SOURCE_CONFIG + " must be USER_INFO or "
          + "URL, was " + source);
    };
    if (userInfo.isPresent() && LoopbackHost.cleartextOffMachine(uri)) {
      throw new ConfigException(URL_CONFIG + " " + uri.getScheme() + "://" + uri.getHost()
          + " is plain http to a host that is not loopback: the registry's credentials would "
          + "travel in clear text; use https");
    }
    return Optional.of(new SchemaRegistryClient(url.toString(), userInfo));
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
      request.timeout(TIMEOUT)
          .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
      authorization.ifPresent(value -> request.header("Authorization", value));
      HttpResponse<String> response = http.send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status / 100 == 5 || status == 429) {
        throw new SchemaRegistryUnavailableException("schema registry " + base + " could not "
            + what + ": HTTP " + status);
      }
      if (status / 100 != 2) {
        throw new SerializationException("schema registry " + base + " could not " + what
            + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryUnavailableException("schema registry " + base + " could not "
          + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SerializationException("interrupted while asking " + base + " to " + what,
          e);
    }
  }
}
