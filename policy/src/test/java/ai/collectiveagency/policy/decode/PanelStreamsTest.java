package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a CPU's vendor or the system property picks the kernels' streams. A run may set the
 * property for all its tests (the 256-bit run does), so each test puts back what it found.
 */
class PanelStreamsTest {

    private final String setForTheRun = System.getProperty(PanelStreams.PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (setForTheRun == null) {
            System.clearProperty(PanelStreams.PROPERTY);
        } else {
            System.setProperty(PanelStreams.PROPERTY, setForTheRun);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"AuthenticAMD, ONE", "GenuineIntel, TWO", "HygonGenuine, TWO", "'', TWO"})
    void oneStreamOnAmdTwoElsewhere(String vendor, PanelStreams expected) {
        assertThat(PanelStreams.forVendor(vendor)).isEqualTo(expected);
    }

    @Test
    void thisMachineGetsItsVendorsStreams() {
        System.clearProperty(PanelStreams.PROPERTY); // put back after the test
        PanelStreams expected = PanelStreams.forVendor(CpuId.vendor());
        assertThat(PanelStreams.preferred()).isEqualTo(expected);
        assertThat(new PanelMatmul(new ParallelRange(1)).streams()).isEqualTo(expected);
    }

    @Test
    void thePropertyForcesEither() {
        System.setProperty(PanelStreams.PROPERTY, "1");
        assertThat(PanelStreams.preferred()).isEqualTo(PanelStreams.ONE);
        System.setProperty(PanelStreams.PROPERTY, " 2 ");
        assertThat(PanelStreams.preferred()).isEqualTo(PanelStreams.TWO);
    }

    @Test
    void anotherValueIsRefusedByName() {
        System.setProperty(PanelStreams.PROPERTY, "3");
        assertThatThrownBy(PanelStreams::preferred).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy.decode.panel-streams must be 1 or 2, got '3'");
    }
}
