package ai.collectiveagency.schemas.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.Samples;
import ai.collectiveagency.schemas.kafka.FleetPinDeserializer;
import ai.collectiveagency.schemas.kafka.FleetPinSerializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pins signed by an operator's key, verified by the fleet's trusted operator keys. */
class FleetPinSignatureTest {

  private static final KeyPair OPERATOR = Ed25519Keys.generate();
  private static final KeyPair TRAINER = Ed25519Keys.generate();
  private static final TrustedKeys OPERATORS = new TrustedKeys(List.of(OPERATOR.getPublic()));
  private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.CONTROL);

  private final FleetPinSigner signer = new FleetPinSigner(OPERATOR.getPrivate());

  private static FleetPin pin(long version) {
    return FleetPin.newBuilder().setPinned(true).setVersion(version)
        .setIssuedAt(Instant.ofEpochMilli(5000)).setIssuer("ops@host").setReason("bad v4")
        .build();
  }

  @Test
  void signedPinVerifiesAfterTheWire() {
    FleetPin signed = signer.sign(pin(3));
    byte[] bytes = new FleetPinSerializer().serialize(TOPIC, signed);
    FleetPin read = new FleetPinDeserializer().deserialize(TOPIC, bytes);

    assertThat(OPERATORS.verify(read))
        .isEqualTo(new SignatureCheck(SignatureCheck.Outcome.VALID, signer.keyId()));
    assertThat(read.getVersion()).isEqualTo(3L);
  }

  @Test
  void unsignedPinIsRefused() {
    assertThat(OPERATORS.verify(pin(3)).outcome()).isEqualTo(SignatureCheck.Outcome.UNSIGNED);
  }

  @Test
  void pinSignedByTheTrainersKeyIsAnUnknownKey() {
    FleetPin byTrainer = new FleetPinSigner(TRAINER.getPrivate()).sign(pin(3));

    assertThat(OPERATORS.verify(byTrainer).outcome())
        .isEqualTo(SignatureCheck.Outcome.UNKNOWN_KEY);
  }

  @Test
  void aCheckpointsSignatureNeverPassesForAPins() {
    // the same key signs both: the domains keep the two kinds of signed bytes apart
    PolicyCheckpoint checkpoint = new CheckpointSigner(OPERATOR.getPrivate())
        .sign(Samples.policyCheckpoint());
    FleetPin grafted = FleetPin.newBuilder(pin(3)).setKeyId(checkpoint.getKeyId())
        .setSignature(checkpoint.getSignature()).build();

    assertThat(OPERATORS.verify(grafted).outcome())
        .isEqualTo(SignatureCheck.Outcome.BAD_SIGNATURE);
  }

  static Stream<Arguments> alterations() {
    return Stream.of(
        change("version", b -> b.setVersion(1L)),
        change("pinned", b -> b.setPinned(false).setVersion(null)),
        change("issued_at", b -> b.setIssuedAt(Instant.EPOCH)),
        change("issuer", b -> b.setIssuer("mallory")),
        change("reason", b -> b.setReason(null)));
  }

  private static Arguments change(String field, UnaryOperator<FleetPin.Builder> edit) {
    return Arguments.of(field, edit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alterations")
  void everySignedFieldIsCovered(String field, UnaryOperator<FleetPin.Builder> edit) {
    FleetPin altered = edit.apply(FleetPin.newBuilder(signer.sign(pin(3)))).build();

    assertThat(OPERATORS.verify(altered).outcome())
        .isEqualTo(SignatureCheck.Outcome.BAD_SIGNATURE);
  }

  @Test
  void bytesFollowTheDocumentedEncoding() {
    FleetPin record = FleetPin.newBuilder(pin(3)).setReason(null).setKeyId("k").build();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("ai.collectiveagency/FleetPin/signed".getBytes(
        StandardCharsets.US_ASCII));
    expected.writeBytes(new byte[] {0, 1, 1, 1}); // header, pinned, version present
    expected.writeBytes(ByteBuffer.allocate(16).putLong(3).putLong(5000).array());
    expected.writeBytes(string("ops@host"));
    expected.write(0); // reason absent
    expected.write(1); // key_id present
    expected.writeBytes(string("k"));

    assertThat(FleetPinSigningBytes.of(record)).isEqualTo(expected.toByteArray());
  }

  @Test
  void aPinWithoutVersionDoesNotLeaveTheProducer() {
    FleetPin noVersion = FleetPin.newBuilder(pin(3)).setVersion(null).build();

    assertThatThrownBy(() -> new FleetPinSerializer().serialize(TOPIC, noVersion))
        .isInstanceOf(SerializationException.class).hasMessageContaining("version");
  }

  private static byte[] string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
  }
}
