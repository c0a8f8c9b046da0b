package ai.collectiveagency.demo.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images of the checkout: an image per Dockerfile in a module's {@code src/main/docker}
 * ({@code Dockerfile.jvm}, {@code Dockerfile.cuda}; see {@link Variant}), named after the module,
 * and the models image ({@code models/Dockerfile}, the {@code models/} folder its context). The
 * Dockerfiles are the list: a module gets an image by getting a Dockerfile.
 */
final class ImageCatalogue {

    /** The models image's name, and the folder it packs. */
    static final String MODELS = "models";

    private static final Path DOCKER_FOLDER = Path.of("src", "main", "docker");

    private final Path root;

    ImageCatalogue(Path root) {
        this.root = root;
    }

    /** The modules with a Dockerfile for {@code variant}, by name. */
    List<String> services(Variant variant) {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(module -> Files.isRegularFile(dockerfile(module, variant)))
                    .map(module -> module.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code module}'s {@code variant} image, tagged {@code version} plus the variant's suffix. */
    ContainerImage service(String module, Variant variant, String version) {
        Path folder = root.resolve(module);
        return new ContainerImage(module, version + variant.tagSuffix(),
                dockerfile(folder, variant), folder);
    }

    /** The image that carries the {@code models/} folders to the services' volume. */
    ContainerImage models(String version) {
        Path folder = root.resolve(MODELS);
        return new ContainerImage(MODELS, version, folder.resolve("Dockerfile"), folder);
    }

    private static Path dockerfile(Path module, Variant variant) {
        return module.resolve(DOCKER_FOLDER).resolve(variant.dockerfile());
    }
}
