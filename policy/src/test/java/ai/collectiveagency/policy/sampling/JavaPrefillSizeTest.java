package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How far the Java backend prefills by default: further on Zen 5 with 512-bit vectors. */
class JavaPrefillSizeTest {

    @ParameterizedTest(name = "{0} family {1}, {2} bits -> {3}")
    @CsvSource({"AuthenticAMD, 26, 512, 8192", "AuthenticAMD, 27, 512, 8192",
        "AuthenticAMD, 26, 256, 1024", "AuthenticAMD, 25, 512, 1024", "GenuineIntel, 6, 512, 1024",
        "'', -1, 512, 1024"})
    void theDefaultFollowsTheCpu(String vendor, int family, int bits, int tokens) {
        assertThat(Generator.defaultJavaPrefillTokens(vendor, family, bits)).isEqualTo(tokens);
    }
}
