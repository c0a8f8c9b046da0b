package ai.collectiveagency.demo.images;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.JitTrapLimit;
import ai.collectiveagency.policy.engine.ModelJvmFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The copies of {@link ModelJvmFlags#FLAGS} that cannot name the list: JVM flags, so the
 * launcher and the images of the services that run the Java kernels (those that add the Vector
 * API module) pass them when Java starts. The images add the module on their command line and
 * take the rest in their default {@code JDK_JAVA_OPTIONS}, where an operator may replace them.
 * (The demo's fleet and the rollout bench's server take the list itself.)
 */
class ModelJvmFlagsCopiesTest {

    private static final Path ROOT = FakeCheckout.ROOT;

    static List<Path> vectorKernelDockerfiles() throws IOException {
        return DockerfileInvariantsTest.serviceDockerfiles().stream()
                .filter(ModelJvmFlagsCopiesTest::addsTheVectorModule).toList();
    }

    private static boolean addsTheVectorModule(Path file) {
        try {
            return Dockerfile.read(file).finalStage().stream()
                    .filter(i -> i.keyword().equals("ENTRYPOINT"))
                    .anyMatch(i -> i.arguments().contains("\"jdk.incubator.vector\""));
        } catch (IOException e) {
            throw new IllegalStateException(file + " is unreadable", e);
        }
    }

    @ParameterizedTest
    @MethodSource("vectorKernelDockerfiles")
    void theImagesDefaultJvmOptionsHoldTheFlags(Path file) throws IOException {
        Dockerfile image = Dockerfile.read(file);
        List<String> flags = ModelJvmFlags.FLAGS;
        assertThat(flags.subList(0, 2)).containsExactly("--add-modules", "jdk.incubator.vector");
        List<String> flagsAfterTheModule = flags.subList(2, flags.size());
        assertThat(image.environment().get("JDK_JAVA_OPTIONS"))
                .as(file.toString()).isNotNull()
                .satisfies(options -> assertThat(List.of(options.split("\\s+")))
                        .contains(JitTrapLimit.FLAG, ModelJvmFlags.HEAP_GROWTH)
                        .containsAll(flagsAfterTheModule));
        // a flag on the command line would win over JDK_JAVA_OPTIONS, the operators' place
        List<String> options = flagsAfterTheModule.stream().map(ModelJvmFlagsCopiesTest::option)
                .toList();
        assertThat(options).contains(JitTrapLimit.OPTION, ModelJvmFlags.GC_TIME_RATIO);
        assertThat(image.finalStage()).as(file.toString())
                .filteredOn(i -> i.keyword().equals("ENTRYPOINT"))
                .noneMatch(i -> options.stream().anyMatch(i.arguments()::contains));
    }

    /** HotSpot's name in a -XX flag: -XX:+Name, -XX:-Name or -XX:Name=value. */
    private static String option(String flag) {
        Matcher name = Pattern.compile("-XX:[+-]?(\\w+)(=.*)?").matcher(flag);
        assertThat(name.matches()).as(flag).isTrue();
        return name.group(1);
    }

    @Test
    void everyModelServicesImageIsChecked() throws IOException {
        // rollout (CPU, CUDA), trainer (CPU, CUDA), evaluation
        assertThat(vectorKernelDockerfiles()).hasSize(5);
    }

    /** {@code ./pipeline}'s model_jvm, the flags of every command that holds a model. */
    @Test
    void theLaunchersModelProcessesSetTheFlags() throws IOException {
        String launcher = Files.readString(ROOT.resolve("pipeline"));
        List<String> flags = new ArrayList<>();
        Matcher modelJvm = Pattern.compile("(?m)^model_jvm=\"([^\"]*)\"$").matcher(launcher);
        while (modelJvm.find()) { // assigned in steps, each adding to the one before
            List.of(modelJvm.group(1).split("\\s+")).stream()
                    .filter(word -> !word.equals("$model_jvm")).forEach(flags::add);
        }
        assertThat(flags).contains(JitTrapLimit.FLAG, ModelJvmFlags.HEAP_GROWTH);
        assertThat(flags).as("the launcher's copy of ModelJvmFlags")
                .containsExactlyElementsOf(ModelJvmFlags.FLAGS);
        // warmup, evaluate, the evaluation, trainer and rollout services, inference-server,
        // bench rollout and the policy's commands: every java that loads a model
        assertThat(Pattern.compile("(?m)^\\s*exec java \\$model_jvm ").matcher(launcher)
                .results().count()).isEqualTo(8);
    }
}
