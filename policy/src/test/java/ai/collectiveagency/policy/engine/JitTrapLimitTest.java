package ai.collectiveagency.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class JitTrapLimitTest {

    /** The parent pom's test.jvm.args pass the flag, as the launchers do. */
    @Test
    void readsTheLimitThisJvmWasStartedWith() {
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .contains(JitTrapLimit.FLAG);
        assertThat(ModelJvmFlags.current(JitTrapLimit.OPTION))
                .hasValue(Long.toString(JitTrapLimit.VALUE));
    }
}
