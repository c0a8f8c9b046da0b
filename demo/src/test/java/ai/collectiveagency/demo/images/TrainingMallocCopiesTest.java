package ai.collectiveagency.demo.images;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.TrainingMalloc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The copies of {@link TrainingMalloc#ENVIRONMENT} that cannot name it: glibc reads these
 * variables when a process starts, so the launcher and the trainer's images set them before
 * Java runs. (The demo's fleet and the trainer's process tests use the constant itself.)
 */
class TrainingMallocCopiesTest {

    private static final Path ROOT = FakeCheckout.ROOT;

    static List<Path> trainerDockerfiles() throws IOException {
        return DockerfileInvariantsTest.serviceDockerfiles().stream()
                .filter(f -> ROOT.relativize(f).startsWith("trainer-service")).toList();
    }

    @ParameterizedTest
    @MethodSource("trainerDockerfiles")
    void theTrainersImagesStartWithTheSettings(Path file) throws IOException {
        assertThat(Dockerfile.read(file).environment()).as(file.toString())
                .containsAllEntriesOf(TrainingMalloc.ENVIRONMENT);
    }

    @Test
    void bothTrainerImagesAreChecked() throws IOException {
        assertThat(trainerDockerfiles()).hasSize(2);
    }

    /** {@code ./pipeline}'s training_malloc, which exports each default a caller did not set. */
    @Test
    void theLauncherExportsTheSettingsForTheCommandsThatTrain() throws IOException {
        String launcher = Files.readString(ROOT.resolve("pipeline"));
        TrainingMalloc.ENVIRONMENT.forEach((name, value) -> assertThat(launcher)
                .contains("export " + name + "=\"${" + name + ":-" + value + "}\""));
        // called by the trainer-service's branch and before the policy's commands (bench
        // policy trains)
        assertThat(Pattern.compile("(?m)^\\s*training_malloc\\s*$").matcher(launcher)
                .results().count()).isEqualTo(2);
    }
}
