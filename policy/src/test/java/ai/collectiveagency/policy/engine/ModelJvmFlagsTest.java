package ai.collectiveagency.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelJvmFlagsTest {

    @Test
    void readsAnOptionOfThisJvmAndNothingForAnUnknownOne() {
        assertThat(ModelJvmFlags.current(JitTrapLimit.OPTION))
                .hasValue(Long.toString(JitTrapLimit.VALUE));
        assertThat(ModelJvmFlags.current("NoSuchOption")).isEmpty();
    }

    /**
     * A JVM started with the list runs with its JIT and GC settings. (Huge pages are left out:
     * HotSpot turns them off, with a warning, where the kernel has none.)
     */
    @Test
    void aJvmStartedWithTheFlagsRunsWithThem(@TempDir Path dir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ModelJvmFlags.FLAGS);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Path output = dir.resolve("flags.txt");
        Process java = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!java.waitFor(60, TimeUnit.SECONDS)) {
            java.destroyForcibly();
        }
        String flags = Files.readString(output);
        assertThat(java.exitValue()).as(flags).isZero();
        assertThat(flags).containsPattern(" GCTimeRatio\\s+= 4\\s")
                .containsPattern(" PerMethodTrapLimit\\s+= " + JitTrapLimit.VALUE + "\\s");
    }
}
