package ai.collectiveagency.schemas.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented encoding, byte for byte, and the properties a signature relies on. */
class CheckpointSigningBytesTest {

  private static PolicyCheckpoint.Builder small() {
    return PolicyCheckpoint.newBuilder().setVersion(3).setStep(30).setUri("file:///s/v3/")
        .setSha256("ab").setFormat(CheckpointFormat.LORA).setBaseModel("m")
        .setCreatedAt(Instant.ofEpochMilli(1000)).setMetrics(Map.of())
        .setConsumedOffsets(Map.of("t-0", 7L));
  }

  @Test
  void bytesFollowTheDocumentedEncoding() {
    PolicyCheckpoint record = small().setKeyId("k").build();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("ai.collectiveagency/PolicyCheckpoint/signed".getBytes(
        StandardCharsets.US_ASCII));
    expected.writeBytes(new byte[] {0, 1});
    expected.writeBytes(ByteBuffer.allocate(16).putLong(3).putLong(30).array());
    for (String s : new String[] {"file:///s/v3/", "ab", "LORA", "m"}) {
      expected.writeBytes(string(s));
    }
    expected.write(0); // base_model_sha256 absent
    expected.write(1); // key_id present
    expected.writeBytes(string("k"));
    expected.writeBytes(ByteBuffer.allocate(8).putLong(1000).array());
    expected.writeBytes(ByteBuffer.allocate(4).putInt(0).array()); // metrics: none
    expected.writeBytes(ByteBuffer.allocate(4).putInt(1).array()); // consumed_offsets: one
    expected.writeBytes(string("t-0"));
    expected.writeBytes(ByteBuffer.allocate(8).putLong(7).array());

    assertThat(CheckpointSigningBytes.of(record)).isEqualTo(expected.toByteArray());
  }

  @Test
  void mapOrderDoesNotMatter() {
    Map<String, Double> ab = new LinkedHashMap<>();
    ab.put("a", 1.0);
    ab.put("b", 2.0);
    Map<String, Double> ba = new LinkedHashMap<>();
    ba.put("b", 2.0);
    ba.put("a", 1.0);

    assertThat(CheckpointSigningBytes.of(small().setMetrics(ab).build()))
        .isEqualTo(CheckpointSigningBytes.of(small().setMetrics(ba).build()));
  }

  @Test
  void movingABoundaryBetweenFieldsChangesTheBytes() {
    assertThat(CheckpointSigningBytes.of(small().setUri("file:///s/v3/a").setSha256("b")
        .build())).isNotEqualTo(CheckpointSigningBytes.of(small().setUri("file:///s/v3/")
        .setSha256("ab").build()));
  }

  @Test
  void absentAndEmptyOptionalsDiffer() {
    assertThat(CheckpointSigningBytes.of(small().setKeyId(null).build()))
        .isNotEqualTo(CheckpointSigningBytes.of(small().setKeyId("").build()));
  }

  @Test
  void theSignatureItselfIsNotCovered() {
    assertThat(CheckpointSigningBytes.of(small().setSignature(ByteBuffer.wrap(new byte[64]))
        .build())).isEqualTo(CheckpointSigningBytes.of(small().build()));
  }

  private static byte[] string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
  }
}
