package ai.collectiveagency.demo.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A checkout as the images command sees it: the real Dockerfiles (every module's
 * src/main/docker, models/Dockerfile) and, for each service, a packaged target/quarkus-app with
 * the CPU build of PyTorch where the service has one. Nothing else of the real checkout.
 */
final class FakeCheckout {

    /** The real checkout (tests run in demo/). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static final String CPU_LIBRARY = "ai.djl.pytorch.pytorch-native-cpu-2.7.1-linux-x86_64.jar";
    static final String CUDA_LIBRARY = "ai.djl.pytorch.pytorch-native-cu124-2.5.1-linux-x86_64.jar";

    private FakeCheckout() {
    }

    /** Lays the checkout out in {@code root}, packaged for CPUs. */
    static Path create(Path root) throws IOException {
        for (Path docker : dockerFolders()) {
            Path module = root.resolve(ROOT.relativize(docker).getName(0));
            copyFolder(docker, module.resolve("src/main/docker"));
            Path app = Files.createDirectories(module.resolve("target/quarkus-app/lib/main"))
                    .getParent().getParent();
            Files.writeString(app.resolve("quarkus-run.jar"), "");
            if (Files.exists(docker.resolve("Dockerfile.cuda"))) {
                Files.writeString(app.resolve("lib/main").resolve(CPU_LIBRARY), "");
            }
        }
        Files.createDirectories(root.resolve("models"));
        Files.copy(ROOT.resolve("models/Dockerfile"), root.resolve("models/Dockerfile"));
        return root;
    }

    /** Puts {@code library} (and no other PyTorch build) into {@code module}'s package. */
    static void packagedWith(Path root, String module, String library) throws IOException {
        Path libraries = root.resolve(module).resolve("target/quarkus-app/lib/main");
        Files.deleteIfExists(libraries.resolve(CPU_LIBRARY));
        Files.deleteIfExists(libraries.resolve(CUDA_LIBRARY));
        Files.writeString(libraries.resolve(library), "");
    }

    private static List<Path> dockerFolders() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(module -> module.resolve("src/main/docker"))
                    .filter(Files::isDirectory).sorted().toList();
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
