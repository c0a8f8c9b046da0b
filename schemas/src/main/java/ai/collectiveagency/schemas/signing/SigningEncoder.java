package ai.collectiveagency.schemas.signing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The encodings of the signed bytes ({@link CheckpointSigningBytes}, {@link
 * FleetPinSigningBytes}), into a growing buffer: every value carries its length, so no two
 * records share their bytes.
 */
final class SigningEncoder {

  private static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
      a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

  /** The domain-separation prefix (ASCII), a zero byte, and the format version. */
  void header(String domain, int formatVersion) {
    raw(domain.getBytes(StandardCharsets.US_ASCII));
    raw(new byte[] {0, (byte) formatVersion});
  }

  void raw(byte[] b) {
    bytes.writeBytes(b);
  }

  void bool(boolean value) {
    raw(new byte[] {(byte) (value ? 1 : 0)});
  }

  void int64(long value) {
    raw(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
  }

  void float64(double value) {
    int64(Double.doubleToLongBits(value)); // collapses every NaN to the canonical one
  }

  void string(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    raw(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
    raw(utf8);
  }

  void optional(String value) {
    if (value == null) {
      raw(new byte[] {0});
    } else {
      raw(new byte[] {1});
      string(value);
    }
  }

  void optional(Long value) {
    if (value == null) {
      raw(new byte[] {0});
    } else {
      raw(new byte[] {1});
      int64(value);
    }
  }

  <V> void map(Map<String, V> map, BiConsumer<SigningEncoder, V> value) {
    List<String> keys = map.keySet().stream().sorted(UTF8_ORDER).toList();
    raw(ByteBuffer.allocate(Integer.BYTES).putInt(keys.size()).array());
    for (String key : keys) {
      string(key);
      value.accept(this, map.get(key));
    }
  }

  byte[] bytes() {
    return bytes.toByteArray();
  }
}
