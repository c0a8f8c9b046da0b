package ai.collectiveagency.evaluation.candidates;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.VerifiedFolder;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.policy.model.Llama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints named on the command line: {@code base}, a version {@code vN} of a store folder,
 * or a checkpoint folder ({@code runs/<run>/checkpoints/v000012}). A folder must pass its
 * {@code manifest.json} (every file listed, sizes and digests); there is no signed announcement
 * here: the user vouches for the folders they name. A folder with {@code adapter_config.json} is
 * a PEFT adapter on the base model; one with {@code config.json} a FULL checkpoint.
 */
public final class LocalCheckpoints {

    private static final Pattern VERSION = Pattern.compile("v(\\d+)");

    private final Policy base;
    private final Path baseFolder;
    private final Path store;

    /** @param store where {@code vN} is looked up (a trainer's {@code trainer.store}) */
    public LocalCheckpoints(Policy base, Path baseFolder, Path store) {
        this.base = base;
        this.baseFolder = baseFolder;
        this.store = store;
    }

    /**
     * @param name {@code base}, {@code vN} or a folder
     * @throws IllegalArgumentException naming what was given and what is wrong with it
     */
    public Contestant load(String name) {
        if (name.equals("base")) {
            return Contestant.base(base);
        }
        Matcher version = VERSION.matcher(name);
        Path folder = version.matches()
                ? store.resolve(String.format("v%06d", Long.parseLong(version.group(1))))
                : Path.of(name);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(name + ": no checkpoint folder " + folder
                    + (version.matches() ? " (look-ups of vN go to --store " + store + ")" : ""));
        }
        VerifiedFolder verified;
        try {
            verified = VerifiedFolder.open(folder);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(folder + " fails its manifest: " + e.getMessage(),
                    e);
        }
        String label = label(folder);
        long number = versionOf(folder);
        try {
            if (verified.has("adapter_config.json")) {
                return new Contestant(label, number, base, PeftAdapterFiles.load(verified,
                        base.model()));
            }
            if (verified.has("config.json")) {
                return new Contestant(label, number, Policy.withTokenizerOf(Llama.load(folder),
                        baseFolder), null);
            }
        } catch (RuntimeException e) { // a file that differs from its digest, a wrong shape
            throw new IllegalArgumentException(folder + " cannot be loaded: " + e.getMessage(),
                    e);
        }
        throw new IllegalArgumentException(folder + " holds neither a PEFT adapter"
                + " (adapter_config.json) nor a full checkpoint (config.json)");
    }

    /** {@code <run>/v<N>} for {@code runs/<run>/checkpoints/v0000N}, else the folder's name. */
    static String label(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        Matcher version = VERSION.matcher(absolute.getFileName().toString());
        String name = version.matches() ? "v" + Long.parseLong(version.group(1))
                : absolute.getFileName().toString();
        Path parent = absolute.getParent();
        if (parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals("checkpoints")
                && parent.getParent() != null && parent.getParent().getFileName() != null) {
            return parent.getParent().getFileName() + "/" + name;
        }
        return name;
    }

    private static long versionOf(Path folder) {
        Matcher version = VERSION.matcher(folder.toAbsolutePath().normalize().getFileName()
                .toString());
        return version.matches() ? Long.parseLong(version.group(1)) : 0;
    }
}
