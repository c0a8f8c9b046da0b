package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.decode.CpuId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who attends in a training pass: by CPU unless {@code policy.training.attention}. */
class RecordedAttentionTest {

    private final String propertyBefore = System.getProperty(RecordedAttention.PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (propertyBefore == null) {
            System.clearProperty(RecordedAttention.PROPERTY);
        } else {
            System.setProperty(RecordedAttention.PROPERTY, propertyBefore);
        }
    }

    @Test
    void javaIsTheDefaultFromZen5OnAndTheEngineElsewhere() {
        assertThat(RecordedAttention.forCpu(CpuId.AMD, CpuId.ZEN_5))
                .isEqualTo(RecordedAttention.JAVA);
        assertThat(RecordedAttention.forCpu(CpuId.AMD, 25)).isEqualTo(RecordedAttention.ENGINE);
        assertThat(RecordedAttention.forCpu("GenuineIntel", 6))
                .isEqualTo(RecordedAttention.ENGINE);
        assertThat(RecordedAttention.forCpu("", -1)).isEqualTo(RecordedAttention.ENGINE);
    }

    @Test
    void thePropertyChoosesAndABadValueNamesTheKey() {
        System.setProperty(RecordedAttention.PROPERTY, " java ");
        assertThat(RecordedAttention.configured()).isEqualTo(RecordedAttention.JAVA);
        System.setProperty(RecordedAttention.PROPERTY, "ENGINE");
        assertThat(RecordedAttention.configured()).isEqualTo(RecordedAttention.ENGINE);
        System.setProperty(RecordedAttention.PROPERTY, "gpu");
        assertThatThrownBy(RecordedAttention::configured)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy.training.attention=gpu")
                .hasMessageContaining("ENGINE or JAVA");
    }
}
