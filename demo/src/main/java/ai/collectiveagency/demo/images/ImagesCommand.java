package ai.collectiveagency.demo.images;

import ai.collectiveagency.demo.cli.CommandMain;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code images [--cuda] [--no-package] [--tag TAG] [--push REGISTRY]}: packages the services and
 * builds their container images, {@code collective-agency/<service>:<version>} (CUDA builds
 * {@code <version>-cuda}) and {@code collective-agency/models:<version>}, with docker or podman;
 * with {@code --push}, tags them {@code REGISTRY/collective-agency/...} and pushes them. Prints
 * each image's name on standard output; the builds' own output goes to standard error.
 */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Builds the services' container images and the models image with docker"
                + " or podman.")
public final class ImagesCommand implements Callable<Integer> {

    /** Exit code when no engine is usable, or packaging, a build or a push failed. */
    static final int FAILED = 1;

    /** What docker accepts as a tag. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    @Spec
    private CommandSpec spec;

    @Option(names = "--push", paramLabel = "REGISTRY",
            description = "Also tag each image REGISTRY/collective-agency/<name>:<tag> and push"
                    + " it (e.g. ghcr.io/my-org or localhost:5000; log in to it first).")
    private String registry;

    @Option(names = "--tag", paramLabel = "TAG",
            description = "The images' tag instead of the project's version; CUDA images get"
                    + " TAG-cuda.")
    private String tag;

    @Option(names = "--cuda",
            description = "Also build the CUDA images (rollout-service, trainer-service: their"
                    + " Dockerfile.cuda), packaged with -Pcuda before the CPU build.")
    private boolean cuda;

    @Option(names = "--no-package",
            description = "Build from the services' target/quarkus-app as they are, without"
                    + " mvn package (not with --cuda: target/ holds one build).")
    private boolean noPackage;

    private final Path root;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    ImagesCommand(Path root, PrintStream out) {
        this(root, out, System.err, System.getenv());
    }

    /** A command whose programs (mvn, docker, podman) are found on {@code environment}'s PATH. */
    ImagesCommand(Path root, PrintStream out, PrintStream err, Map<String, String> environment) {
        this.root = root;
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    public static void main(String[] args) {
        CommandMain.run(ImagesCommand::new, args);
    }

    @Override
    public Integer call() {
        checkOptions();
        Processes processes = new Processes(environment, err);
        SearchPath path = SearchPath.of(environment);
        try {
            ContainerEngine engine = ContainerEngine.find(path, processes);
            Optional<MavenPackaging> packaging = noPackage ? Optional.empty()
                    : Optional.of(new MavenPackaging(root, path, processes));
            ImageBuilds builds = new ImageBuilds(root, engine, processes, packaging, out);
            // CUDA first: target/ then ends with the CPU build that ./pipeline's commands run.
            List<Variant> variants = cuda ? List.of(Variant.CUDA, Variant.JVM)
                    : List.of(Variant.JVM);
            List<ContainerImage> images = builds.build(variants,
                    tag != null ? tag : ProjectVersion.read());
            if (registry != null) {
                builds.push(images, registry);
            }
            return 0;
        } catch (ImagesException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
    }

    private void checkOptions() {
        if (cuda && noPackage) {
            throw new ParameterException(spec.commandLine(), "--cuda needs the packaging that"
                    + " --no-package skips: rollout-service and trainer-service have one"
                    + " target/quarkus-app for both builds, so each is packaged before its images");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new ParameterException(spec.commandLine(), "--tag " + tag + " is not a valid"
                    + " image tag (letters, digits, _ . -; at most 128, not starting with . or -)");
        }
        if (registry != null && (registry.isBlank() || registry.contains("://")
                || registry.endsWith("/") || registry.chars().anyMatch(Character::isWhitespace))) {
            throw new ParameterException(spec.commandLine(), "--push takes a registry as"
                    + " HOST[:PORT][/PATH], without a scheme or a trailing /: " + registry);
        }
    }
}
