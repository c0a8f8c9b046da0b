package ai.collectiveagency.k8s.copies;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Kustomize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/base/tiny-model/ holds copies of the demo's tiny-model templates (kustomize reads no file
 * outside its folder): they must be the same files, byte for byte, or the cluster's tiny model
 * sees prompts it was not warmed up on.
 */
class TinyModelTemplatesTest {

    @Test
    void theClustersTemplatesAreTheDemos() throws IOException {
        Path root = Kustomize.projectRoot();
        Path original = root.resolve("demo/src/main/resources/tiny-model");
        Path copy = root.resolve("k8s/base/tiny-model");

        List<Path> originals = files(original);
        assertThat(originals).as("the demo's tiny-model templates").isNotEmpty();
        assertThat(files(copy).stream().filter(p -> !p.toString().equals("kustomization.yaml"))
                .toList()).as("files in " + copy).isEqualTo(originals);
        for (Path file : originals) {
            assertThat(Files.readString(copy.resolve(file)))
                    .as(copy.resolve(file) + " differs from " + original.resolve(file)
                            + ": copy it again")
                    .isEqualTo(Files.readString(original.resolve(file)));
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(folder::relativize).sorted().toList();
        }
    }
}
