package ai.collectiveagency.demo.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a service's {@code target/quarkus-app}, the COPY source of its Dockerfiles, holds: it must
 * be packaged, and with the PyTorch build its image is for. The rollout and trainer images of
 * both variants come from the same folder, so an image must never take the other build.
 */
final class PackagedApp {

    /** The name every CUDA build of DJL's PyTorch native library starts with. */
    private static final String CUDA_LIBRARY = "ai.djl.pytorch.pytorch-native-cu";

    private PackagedApp() {
    }

    /** Refuses {@code module}'s package when it is missing or not the {@code variant} build. */
    static void check(Path module, Variant variant) throws ImagesException {
        Path app = module.resolve("target").resolve("quarkus-app");
        String name = module.getFileName() + "/target/quarkus-app";
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new ImagesException(name + " is not packaged: run without --no-package, or"
                    + " package it first (mvn -B -DskipTests package)");
        }
        boolean cuda = holdsCudaLibrary(app.resolve("lib").resolve("main"));
        if (variant == Variant.CUDA && !cuda) {
            throw new ImagesException(name + " holds no CUDA build of PyTorch: package it"
                    + " with -Pcuda for its " + variant.dockerfile());
        }
        if (variant == Variant.JVM && cuda) {
            throw new ImagesException(name + " holds the CUDA build of PyTorch (-Pcuda):"
                    + " package it without -Pcuda for its " + variant.dockerfile()
                    + ", or run without --no-package");
        }
    }

    private static boolean holdsCudaLibrary(Path libraries) {
        if (!Files.isDirectory(libraries)) {
            return false;
        }
        try (Stream<Path> jars = Files.list(libraries)) {
            return jars.anyMatch(jar -> jar.getFileName().toString().startsWith(CUDA_LIBRARY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
