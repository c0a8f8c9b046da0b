package ai.collectiveagency.policy.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.decode.CpuId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who computes the training head's products: by CPU unless {@code policy.training.head}. */
class HeadProductsTest {

    private final String propertyBefore = System.getProperty(HeadProducts.PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (propertyBefore == null) {
            System.clearProperty(HeadProducts.PROPERTY);
        } else {
            System.setProperty(HeadProducts.PROPERTY, propertyBefore);
        }
    }

    @Test
    void javaIsTheDefaultFromZen5OnAndTheEngineElsewhere() {
        assertThat(HeadProducts.forCpu(CpuId.AMD, CpuId.ZEN_5)).isEqualTo(HeadProducts.JAVA);
        assertThat(HeadProducts.forCpu(CpuId.AMD, 25)).isEqualTo(HeadProducts.ENGINE);
        assertThat(HeadProducts.forCpu("GenuineIntel", 6)).isEqualTo(HeadProducts.ENGINE);
        assertThat(HeadProducts.forCpu("", -1)).isEqualTo(HeadProducts.ENGINE);
    }

    @Test
    void thePropertyChoosesAndABadValueNamesTheKey() {
        System.setProperty(HeadProducts.PROPERTY, " java ");
        assertThat(HeadProducts.configured()).isEqualTo(HeadProducts.JAVA);
        System.setProperty(HeadProducts.PROPERTY, "ENGINE");
        assertThat(HeadProducts.configured()).isEqualTo(HeadProducts.ENGINE);
        System.setProperty(HeadProducts.PROPERTY, "gpu");
        assertThatThrownBy(HeadProducts::configured).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy.training.head=gpu")
                .hasMessageContaining("ENGINE or JAVA");
    }
}
