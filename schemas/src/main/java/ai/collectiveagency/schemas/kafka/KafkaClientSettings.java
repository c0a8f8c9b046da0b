package ai.collectiveagency.schemas.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The settings every Kafka client of the pipeline shares: where the brokers are and how to reach
 * them ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), plus any other client or serde
 * key a deployment sets (a schema registry's {@code schema.registry.url} and
 * {@code basic.auth.*}). One convention feeds them, SmallRye's: a key {@code kafka.K} is the
 * client setting {@code K}, so {@code KAFKA_SECURITY_PROTOCOL} or
 * {@code -Dkafka.sasl.jaas.config=...} reach every client. In a Quarkus service the map Quarkus
 * collects from those keys for the channels ({@code @Identifier("default-kafka-broker")}) is
 * passed to {@link #of}; hand-built clients then take exactly what the channels take, plus their
 * own settings:
 *
 * <pre>{@code
 * KafkaClientSettings kafka = KafkaClientSettings.of(defaultKafkaBroker);
 * Map<String, Object> props = kafka.assignedConsumer("trainer-scored");
 * props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
 * }</pre>
 *
 * <p>Settings that cannot work are refused when read, naming the {@code kafka.} key: a missing
 * {@code bootstrap.servers}, an unknown protocol, SASL without a mechanism or credentials,
 * credentials with a protocol that would not use them (a client that forgot
 * {@code security.protocol} otherwise waits forever on a secured broker), a trust or key store
 * file that is not there. {@link #toString()} hides every secret. Immutable.
 */
public final class KafkaClientSettings {

  /** The prefix of the configuration keys, SmallRye's and Quarkus's convention. */
  public static final String PREFIX = "kafka.";
  /** The prefix of the same keys as environment variables. */
  public static final String ENVIRONMENT_PREFIX = "KAFKA_";
  /** The JDK's JAAS file property: with it, SASL clients may go without sasl.jaas.config. */
  private static final String JAAS_FILE_PROPERTY = "java.security.auth.login.config";
  private static final String HIDDEN = "[hidden]";
  private static final List<String> SECRET_KEYS = List.of(SaslConfigs.SASL_JAAS_CONFIG,
      SslConfigs.SSL_KEYSTORE_KEY_CONFIG, SchemaRegistryClient.USER_INFO_CONFIG);

  private final Map<String, Object> settings;

  private KafkaClientSettings(Map<String, Object> settings) {
    this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
  }

  /**
   * The settings in {@code settings}, keys without the {@code kafka.} prefix (as Quarkus's
   * {@code default-kafka-broker} map holds them).
   *
   * @throws IllegalArgumentException listing every setting that cannot work
   */
  public static KafkaClientSettings of(Map<String, ?> settings) {
    Map<String, Object> copy = new HashMap<>();
    settings.forEach((key, value) -> {
      if (value != null) {
        copy.put(key, value);
      }
    });
    List<String> problems = problems(copy);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kafka client settings:\n  "
          + String.join("\n  ", problems));
    }
    return new KafkaClientSettings(copy);
  }

  /** A cluster without authentication or TLS at {@code bootstrapServers}. */
  public static KafkaClientSettings plaintext(String bootstrapServers) {
    return of(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * The settings of a Kafka client properties file (the format of Kafka's own tools'
   * {@code --command-config}), such as {@code ./pipeline kafka --secure} writes for each user.
   */
  public static KafkaClientSettings load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Kafka client settings " + file, e);
    }
    Map<String, Object> settings = new HashMap<>();
    properties.stringPropertyNames().forEach(key -> settings.put(key,
        properties.getProperty(key)));
    return of(settings);
  }

  /** These settings with {@code key} set to {@code value}. */
  public KafkaClientSettings with(String key, Object value) {
    Map<String, Object> more = new HashMap<>(settings);
    more.put(key, value);
    return of(more);
  }

  /** {@code security.protocol}, PLAINTEXT when unset (Kafka's default). */
  public SecurityProtocol securityProtocol() {
    return protocolOf(settings).orElse(SecurityProtocol.PLAINTEXT);
  }

  /** Every setting, keys without prefix; secrets included: hand it to a client, never a log. */
  public Map<String, Object> asMap() {
    return settings;
  }

  /** A producer's settings: these plus its client id; the caller adds its own. */
  public Map<String, Object> producer(String clientId) {
    return client(clientId);
  }

  /**
   * A consumer that is assigned its partitions and joins no group: these settings without
   * {@code group.id} (Quarkus puts the application's name there by default) and without offset
   * commits, reading only committed records ({@code read_committed}), plus its client id.
   */
  public Map<String, Object> assignedConsumer(String clientId) {
    Map<String, Object> props = client(clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The stages write in transactions: a reader sees only what they committed, never the
    // records of a transaction a killed replica left open or that was aborted.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  /**
   * As {@link #assignedConsumer(String)}, every request and blocking call bounded by
   * {@code timeout}: for a reader that must not wait for an absent broker for Kafka's minutes.
   */
  public Map<String, Object> assignedConsumer(String clientId, Duration timeout) {
    return bounded(assignedConsumer(clientId), timeout);
  }

  /** An Admin client's settings: these plus its client id. */
  public Map<String, Object> admin(String clientId) {
    return client(clientId);
  }

  /** As {@link #admin(String)}, every request and call bounded by {@code timeout}. */
  public Map<String, Object> admin(String clientId, Duration timeout) {
    return bounded(admin(clientId), timeout);
  }

  private static Map<String, Object> bounded(Map<String, Object> props, Duration timeout) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    return props;
  }

  /**
   * The same settings as environment variables ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL}, ...),
   * for a child process that reads them by Quarkus's rule. Secrets included.
   */
  public Map<String, String> asEnvironment() {
    Map<String, String> environment = new TreeMap<>();
    settings.forEach((key, value) -> environment.put(ENVIRONMENT_PREFIX
        + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value.toString()));
    return environment;
  }

  /** The settings with every secret value shown as {@code [hidden]}. */
  @Override
  public String toString() {
    Map<String, Object> shown = new TreeMap<>();
    settings.forEach((key, value) -> shown.put(key, isSecret(key) ? HIDDEN : value));
    return "KafkaClientSettings" + shown;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaClientSettings that && settings.equals(that.settings);
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }

  /** Whether the value of client setting {@code key} is a secret: a password, key, JAAS line. */
  public static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_KEYS.contains(lower) || lower.endsWith("password")
        || lower.contains("secret");
  }

  private Map<String, Object> client(String clientId) {
    Map<String, Object> props = new HashMap<>(settings);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, Objects.requireNonNull(clientId, "clientId"));
    return props;
  }

  private static List<String> problems(Map<String, Object> settings) {
    List<String> problems = new ArrayList<>();
    Object servers = settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      problems.add(PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG
          + " is required: host:port of the brokers");
    }
    Optional<SecurityProtocol> protocol;
    try {
      protocol = protocolOf(settings);
    } catch (IllegalArgumentException e) {
      problems.add(PREFIX + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + " must be one of "
          + SecurityProtocol.names() + ", was "
          + settings.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
      return problems;
    }
    SecurityProtocol chosen = protocol.orElse(SecurityProtocol.PLAINTEXT);
    boolean sasl = chosen == SecurityProtocol.SASL_SSL
        || chosen == SecurityProtocol.SASL_PLAINTEXT;
    if (sasl) {
      requireSet(problems, settings, SaslConfigs.SASL_MECHANISM, chosen,
          "(e.g. SCRAM-SHA-512)");
      if (System.getProperty(JAAS_FILE_PROPERTY) == null) {
        requireSet(problems, settings, SaslConfigs.SASL_JAAS_CONFIG, chosen,
            "(the login module with the user's credentials)");
      }
    } else if (settings.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
      problems.add(PREFIX + SaslConfigs.SASL_JAAS_CONFIG + " is set, but "
          + PREFIX + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + " is " + chosen
          + ", which does not use it: set " + PREFIX
          + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "=SASL_SSL");
    }
    for (String store : List.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
        SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG)) {
      Object location = settings.get(store);
      if (location != null && !Files.isReadable(Path.of(location.toString()))) {
        problems.add(PREFIX + store + " names no readable file: " + location);
      }
    }
    return problems;
  }

  private static void requireSet(List<String> problems, Map<String, Object> settings,
      String key, SecurityProtocol protocol, String example) {
    Object value = settings.get(key);
    if (value == null || value.toString().isBlank()) {
      problems.add(PREFIX + key + " is required with " + PREFIX
          + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "=" + protocol + " " + example);
    }
  }

  private static Optional<SecurityProtocol> protocolOf(Map<String, Object> settings) {
    Object value = settings.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    if (value == null || value.toString().isBlank()) {
      return Optional.empty();
    }
    // Kafka reads the protocol case-insensitively; forName does not.
    return Optional.of(SecurityProtocol.forName(value.toString().trim()
        .toUpperCase(Locale.ROOT)));
  }
}
