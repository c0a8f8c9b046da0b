package ai.collectiveagency.demo.images;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the catalogue's images with an engine, a variant at a time: its services packaged (unless
 * they were already), checked, then built; the models image last. Each image's name goes to
 * {@code out} once built, and once pushed.
 */
final class ImageBuilds {

    private final Path root;
    private final ImageCatalogue catalogue;
    private final ContainerEngine engine;
    private final Processes processes;
    private final Optional<MavenPackaging> packaging;
    private final PrintStream out;

    /** With an empty {@code packaging}, images are built from target/ as it is. */
    ImageBuilds(Path root, ContainerEngine engine, Processes processes,
            Optional<MavenPackaging> packaging, PrintStream out) {
        this.root = root;
        this.catalogue = new ImageCatalogue(root);
        this.engine = engine;
        this.processes = processes;
        this.packaging = packaging;
        this.out = out;
    }

    /**
     * Builds the services' images of each of {@code variants}, in that order, then the models
     * image, all tagged {@code version} (plus the variant's suffix); returns them.
     */
    List<ContainerImage> build(List<Variant> variants, String version) throws ImagesException {
        List<ContainerImage> built = new ArrayList<>();
        for (Variant variant : variants) {
            List<String> modules = catalogue.services(variant);
            if (packaging.isPresent()) {
                packaging.get().packageServices(modules, variant);
            }
            for (String module : modules) {
                PackagedApp.check(root.resolve(module), variant);
            }
            for (String module : modules) {
                built.add(build(catalogue.service(module, variant, version)));
            }
        }
        built.add(build(catalogue.models(version)));
        return built;
    }

    /** Tags each of {@code images} {@code <registry>/...} and pushes it there. */
    void push(List<ContainerImage> images, String registry) throws ImagesException {
        for (ContainerImage image : images) {
            String target = image.reference(registry);
            run(engine.tag(image.reference(), target), "tagging " + target);
            run(engine.push(target), "pushing " + target);
            out.println(target);
        }
    }

    private ContainerImage build(ContainerImage image) throws ImagesException {
        run(engine.build(image), "building " + image.reference());
        out.println(image.reference());
        return image;
    }

    private void run(List<String> command, String what) throws ImagesException {
        int exit = processes.run(root, command);
        if (exit != 0) {
            throw new ImagesException(what + " failed: " + engine.name() + " exited with "
                    + exit + " (its output is above)");
        }
    }
}
