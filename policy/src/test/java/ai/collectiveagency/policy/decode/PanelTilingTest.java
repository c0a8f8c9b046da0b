package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

/** Which kernels cut a batch, and how a machine or the system property picks the tiling. */
class PanelTilingTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(PanelTiling.PROPERTY);
    }

    @ParameterizedTest(name = "{0} rows, {1}")
    @CsvSource({
        "1, EIGHT_ROWS, 1", "7, EIGHT_ROWS, 4 2 1", "16, EIGHT_ROWS, 8 8",
        "23, EIGHT_ROWS, 8 8 4 2 1", "33, EIGHT_ROWS, 8 8 8 8 1",
        "7, FOUR_ROWS, 4 2 1", "16, FOUR_ROWS, 4 4 4 4", "3, FOUR_ROWS, 2 1"})
    void cutsABatchIntoTheLargestKernelsFirst(int batch, PanelTiling tiling, String blocks) {
        List<String> cut = new ArrayList<>();
        for (int left = batch; left > 0; ) {
            int rows = tiling.block(left);
            cut.add(String.valueOf(rows));
            left -= rows;
        }

        assertThat(String.join(" ", cut)).isEqualTo(blocks);
    }

    @Test
    void eightRowsOnlyWith512BitVectors() {
        PanelTiling expected = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
                ? PanelTiling.EIGHT_ROWS : PanelTiling.FOUR_ROWS;

        assertThat(PanelTiling.preferred()).isEqualTo(expected);
        assertThat(new PanelMatmul(new ParallelRange(1)).tiling()).isEqualTo(expected);
    }

    @Test
    void thePropertyForcesEitherTiling() {
        System.setProperty(PanelTiling.PROPERTY, "4");
        assertThat(PanelTiling.preferred()).isEqualTo(PanelTiling.FOUR_ROWS);
        System.setProperty(PanelTiling.PROPERTY, "8");
        assertThat(PanelTiling.preferred()).isEqualTo(PanelTiling.EIGHT_ROWS);
    }

    @Test
    void anotherValueIsRefusedByName() {
        System.setProperty(PanelTiling.PROPERTY, "6");

        assertThatThrownBy(PanelTiling::preferred).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy.decode.panel-rows must be 4 or 8, got '6'");
    }
}
