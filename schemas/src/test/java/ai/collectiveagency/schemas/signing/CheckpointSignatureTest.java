package ai.collectiveagency.schemas.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.Samples;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointSerializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Signed by the trainer's key, verified by the replicas' trusted keys, field by field. */
class CheckpointSignatureTest {

  private static final KeyPair TRAINER = Ed25519Keys.generate();
  private static final KeyPair OTHER = Ed25519Keys.generate();
  private static final TrustedKeys TRUSTED = new TrustedKeys(List.of(TRAINER.getPublic()));

  private final CheckpointSigner signer = new CheckpointSigner(TRAINER.getPrivate());

  private static PolicyCheckpoint record() {
    return PolicyCheckpoint.newBuilder(Samples.policyCheckpoint())
        .setBaseModelSha256("cd".repeat(32)).build();
  }

  @Test
  void signedRecordVerifiesAndNamesItsKey() {
    PolicyCheckpoint signed = signer.sign(record());

    assertThat(signed.getKeyId()).isEqualTo(Ed25519Keys.keyId(TRAINER.getPublic()))
        .hasSize(16);
    assertThat(signed.getSignature().remaining()).isEqualTo(64);
    assertThat(TRUSTED.verify(signed))
        .isEqualTo(new SignatureCheck(SignatureCheck.Outcome.VALID, signed.getKeyId()));
  }

  @Test
  void signatureSurvivesTheWire() {
    PolicyCheckpoint signed = signer.sign(record());
    String topic = TopicCatalogue.defaults().name(LogicalTopic.CHECKPOINTS);
    byte[] bytes = new PolicyCheckpointSerializer().serialize(topic, signed);
    PolicyCheckpoint read = new PolicyCheckpointDeserializer().deserialize(topic, bytes);

    assertThat(TRUSTED.verify(read).valid()).isTrue();
  }

  @Test
  void unsignedRecordIsRefused() {
    assertThat(TRUSTED.verify(record()).outcome()).isEqualTo(SignatureCheck.Outcome.UNSIGNED);
    PolicyCheckpoint emptySignature = PolicyCheckpoint.newBuilder(signer.sign(record()))
        .setSignature(ByteBuffer.allocate(0)).build();
    assertThat(TRUSTED.verify(emptySignature).outcome())
        .isEqualTo(SignatureCheck.Outcome.UNSIGNED);
  }

  @Test
  void recordSignedByAnotherKeyIsRefusedAsUnknownKey() {
    PolicyCheckpoint forged = new CheckpointSigner(OTHER.getPrivate()).sign(record());

    SignatureCheck check = TRUSTED.verify(forged);
    assertThat(check.outcome()).isEqualTo(SignatureCheck.Outcome.UNKNOWN_KEY);
    assertThat(check.detail()).contains(forged.getKeyId())
        .contains(Ed25519Keys.keyId(TRAINER.getPublic()));
  }

  @Test
  void anotherKeysSignatureUnderTheTrustedKeyIdDoesNotVerify() {
    PolicyCheckpoint forged = new CheckpointSigner(OTHER.getPrivate()).sign(
        PolicyCheckpoint.newBuilder(record()).build());
    PolicyCheckpoint relabelled = PolicyCheckpoint.newBuilder(forged)
        .setKeyId(Ed25519Keys.keyId(TRAINER.getPublic())).build();

    assertThat(TRUSTED.verify(relabelled).outcome())
        .isEqualTo(SignatureCheck.Outcome.BAD_SIGNATURE);
  }

  @Test
  void truncatedSignatureIsABadSignature() {
    PolicyCheckpoint signed = signer.sign(record());
    PolicyCheckpoint truncated = PolicyCheckpoint.newBuilder(signed)
        .setSignature(ByteBuffer.wrap(new byte[10])).build();

    assertThat(TRUSTED.verify(truncated).outcome())
        .isEqualTo(SignatureCheck.Outcome.BAD_SIGNATURE);
  }

  static Stream<Arguments> alterations() {
    return Stream.of(
        change("version", b -> b.setVersion(Long.MAX_VALUE)),
        change("step", b -> b.setStep(1)),
        change("uri", b -> b.setUri("file:///etc/")),
        change("sha256", b -> b.setSha256("00".repeat(32))),
        change("format", b -> b.setFormat(CheckpointFormat.FULL)),
        change("base_model", b -> b.setBaseModel("other")),
        change("base_model_sha256", b -> b.setBaseModelSha256("ef".repeat(32))),
        change("base_model_sha256 removed", b -> b.setBaseModelSha256(null)),
        change("created_at", b -> b.setCreatedAt(Instant.EPOCH)),
        change("metrics", b -> b.setMetrics(Map.of("loss", 0.5))),
        change("consumed_offsets", b -> b.setConsumedOffsets(Map.of())));
  }

  private static Arguments change(String field, UnaryOperator<PolicyCheckpoint.Builder> edit) {
    return Arguments.of(field, edit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alterations")
  void everySignedFieldIsCovered(String field, UnaryOperator<PolicyCheckpoint.Builder> edit) {
    PolicyCheckpoint signed = signer.sign(record());
    PolicyCheckpoint altered = edit.apply(PolicyCheckpoint.newBuilder(signed)).build();

    assertThat(TRUSTED.verify(altered).outcome())
        .isEqualTo(SignatureCheck.Outcome.BAD_SIGNATURE);
  }

  @Test
  void eitherKeyOfARotationVerifies() {
    KeyPair next = Ed25519Keys.generate();
    TrustedKeys both = new TrustedKeys(List.of(TRAINER.getPublic(), next.getPublic()));

    assertThat(both.verify(signer.sign(record())).valid()).isTrue();
    assertThat(both.verify(new CheckpointSigner(next.getPrivate()).sign(record())).valid())
        .isTrue();
    assertThat(both.keyIds()).hasSize(2);
  }
}
