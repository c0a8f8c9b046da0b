package ai.collectiveagency.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

  private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule "
      + "required username=\"trainer-service\" password=\"p4ssw0rd-42\";";

  @TempDir
  Path folder;

  private Map<String, Object> secured() throws Exception {
    Path ca = Files.writeString(folder.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, Object> settings = new HashMap<>();
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9093");
    settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "sasl_ssl");
    settings.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    settings.put(SaslConfigs.SASL_JAAS_CONFIG, JAAS);
    settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
    settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.toString());
    return settings;
  }

  @Test
  void everyClientGetsTheSecuritySettingsAndOnlyItsOwnClientId() throws Exception {
    Map<String, Object> settings = secured();
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "trainer-service");
    KafkaClientSettings kafka = KafkaClientSettings.of(settings);

    Map<String, Object> consumer = kafka.assignedConsumer("trainer-scored");

    assertThat(kafka.securityProtocol()).isEqualTo(SecurityProtocol.SASL_SSL);
    assertThat(consumer).containsEntry(SaslConfigs.SASL_JAAS_CONFIG, JAAS)
        .containsEntry(CommonClientConfigs.CLIENT_ID_CONFIG, "trainer-scored")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    assertThat(kafka.producer("trainer-checkpoints"))
        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "sasl_ssl")
        .containsEntry(CommonClientConfigs.CLIENT_ID_CONFIG, "trainer-checkpoints");
  }

  @Test
  void credentialsWithAProtocolThatIgnoresThemAreRefusedNamingTheKey() throws Exception {
    Map<String, Object> settings = secured();
    settings.remove(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);

    assertThatThrownBy(() -> KafkaClientSettings.of(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka.sasl.jaas.config is set, but kafka.security.protocol is "
            + "PLAINTEXT").hasMessageNotContaining("p4ssw0rd");
  }

  @Test
  void saslWithoutMechanismOrCredentialsIsRefusedNamingBothKeys() {
    assertThatThrownBy(() -> KafkaClientSettings.of(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "broker:9093",
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")))
        .hasMessageContaining("kafka.sasl.mechanism is required")
        .hasMessageContaining("kafka.sasl.jaas.config is required");
  }

  @Test
  void anUnknownProtocolAMissingTrustStoreAndNoBrokersAreRefused() {
    assertThatThrownBy(() -> KafkaClientSettings.of(Map.of(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "TLS")))
        .hasMessageContaining("kafka.bootstrap.servers is required")
        .hasMessageContaining("kafka.security.protocol must be one of");
    assertThatThrownBy(() -> KafkaClientSettings.of(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "broker:9093",
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, folder.resolve("missing.crt").toString())))
        .hasMessageContaining("kafka.ssl.truststore.location names no readable file");
  }

  @Test
  void toStringHidesPasswordsAndTheJaasLine() throws Exception {
    Map<String, Object> settings = secured();
    settings.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, "keystore-secret");
    settings.put("basic.auth.user.info", "serde:registry-secret");

    String shown = KafkaClientSettings.of(settings).toString();

    assertThat(shown).contains("127.0.0.1:9093", "SCRAM-SHA-512", "[hidden]")
        .doesNotContain("p4ssw0rd", "keystore-secret", "registry-secret");
  }

  @Test
  void asEnvironmentNamesTheVariablesQuarkusMapsBackToTheSameKeys() throws Exception {
    Map<String, Object> settings = secured();
    Map<String, String> environment = KafkaClientSettings.of(settings).asEnvironment();

    assertThat(environment).containsEntry("KAFKA_SASL_JAAS_CONFIG", JAAS)
        .containsEntry("KAFKA_SECURITY_PROTOCOL", "sasl_ssl")
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9093");
    environment.forEach((variable, value) -> assertThat(
        settings.get(variable.substring("KAFKA_".length()).toLowerCase().replace('_', '.')))
        .as(variable).isEqualTo(value));
  }

  @Test
  void aClientPropertiesFileIsReadAsTheSameSettings() throws Exception {
    Path file = folder.resolve("trainer-service.properties");
    StringBuilder text = new StringBuilder();
    secured().forEach((key, value) -> text.append(key).append('=')
        .append(value.toString().replace("\\", "\\\\")).append('\n'));
    Files.writeString(file, text);

    assertThat(KafkaClientSettings.load(file)).isEqualTo(KafkaClientSettings.of(secured()));
  }
}
