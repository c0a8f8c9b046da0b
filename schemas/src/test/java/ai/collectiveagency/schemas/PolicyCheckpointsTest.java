package ai.collectiveagency.schemas;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyCheckpointsTest {

  static Stream<String> malformedDigests() {
    return Stream.of("", "ab".repeat(31), "ab".repeat(33), "AB".repeat(32), "zz".repeat(32));
  }

  @ParameterizedTest
  @MethodSource("malformedDigests")
  void malformedSha256IsRefused(String sha256) {
    PolicyCheckpoint checkpoint = Samples.policyCheckpoint(sha256);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> PolicyCheckpoints.validate(checkpoint))
        .withMessageStartingWith("sha256: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0123456789abcdef", "ab"})
  void lowerCaseHexSha256Passes(String unit) {
    PolicyCheckpoint checkpoint = Samples.policyCheckpoint(unit.repeat(64 / unit.length()));

    assertThatCode(() -> PolicyCheckpoints.validate(checkpoint)).doesNotThrowAnyException();
  }
}
