package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the vendor and family from /proc/cpuinfo's lines. */
class CpuIdTest {

    private static final List<String> ZEN_5 = List.of("processor\t: 0",
            "vendor_id\t: AuthenticAMD", "cpu family\t: 26", "model\t\t: 2",
            "model name\t: AMD EPYC", "processor\t: 1", "vendor_id\t: AuthenticAMD");

    @Test
    void aFieldIsReadByItsWholeKey() {
        assertThat(CpuId.field(ZEN_5, "vendor_id")).isEqualTo(CpuId.AMD);
        assertThat(CpuId.field(ZEN_5, "cpu family")).isEqualTo("26");
        assertThat(CpuId.field(ZEN_5, "model")).as("not 'model name'").isEqualTo("2");
        assertThat(CpuId.field(ZEN_5, "flags")).isEmpty();
        assertThat(CpuId.field(List.of(), "vendor_id")).isEmpty();
    }

    @Test
    void thisMachineHasAFamilyWhereItHasAVendor() {
        assertThat(CpuId.family() > 0).isEqualTo(!CpuId.vendor().isEmpty());
    }
}
