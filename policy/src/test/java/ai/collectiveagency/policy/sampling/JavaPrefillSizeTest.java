package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How far the Java backend prefills by default: further on AMD CPUs with 512-bit vectors. */
class JavaPrefillSizeTest {

    @ParameterizedTest(name = "{0}, {1} bits -> {2}")
    @CsvSource({"AuthenticAMD, 512, 8192", "AuthenticAMD, 256, 1024", "GenuineIntel, 512, 1024",
        "GenuineIntel, 256, 1024", "'', 512, 1024"})
    void amdWithAvx512PrefillsEightThousandTokensInJava(String vendor, int bits, int tokens) {
        assertThat(Generator.defaultJavaPrefillTokens(vendor, bits)).isEqualTo(tokens);
    }
}
