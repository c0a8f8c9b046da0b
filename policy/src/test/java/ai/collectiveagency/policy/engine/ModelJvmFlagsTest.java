package ai.collectiveagency.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelJvmFlagsTest {

    @Test
    void readsTheOptionsOfThisJvm() {
        assertThat(ModelJvmFlags.current("PerMethodTrapLimit"))
                .hasValue(Long.toString(JitTrapLimit.VALUE));
        assertThat(ModelJvmFlags.current("NoSuchOption")).isEmpty();
    }

    /** A JVM started with the list runs with each of its settings. */
    @Test
    void aJvmStartedWithTheFlagsRunsWithThem() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ModelJvmFlags.FLAGS);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String flags = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(flags).isZero();
        assertThat(flags).containsPattern("uintx GCTimeRatio\\s+= 4\\s")
                .containsPattern("PerMethodTrapLimit\\s+= " + JitTrapLimit.VALUE + "\\s")
                .containsPattern("bool UseTransparentHugePages\\s+= true\\s");
    }
}
