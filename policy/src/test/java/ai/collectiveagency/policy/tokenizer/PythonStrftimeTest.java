package ai.collectiveagency.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDateTime;

class PythonStrftimeTest {

    private static final LocalDateTime TIME = LocalDateTime.of(2026, 7, 4, 15, 5, 9);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%d %b %Y|04 Jul 2026",
        "%A %B %d, %Y|Saturday July 04, 2026",
        "%H:%M:%S|15:05:09",
        "%I %p|03 PM",
        "%y-%m-%d (day %j)|26-07-04 (day 185)",
        "100%% %q|100% %q"})
    void directivesAreWrittenAsPythonWritesThem(String format, String expected) {
        assertThat(PythonStrftime.format(format, TIME)).isEqualTo(expected);
    }
}
