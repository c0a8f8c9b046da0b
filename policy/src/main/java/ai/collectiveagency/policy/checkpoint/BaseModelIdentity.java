package ai.collectiveagency.policy.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which base model a checkpoint was made on, as a digest rather than a name: the lower-case hex
 * SHA-256 of the base folder's weights manifest. Two folders of the same name with other
 * weights (a warm-up rebuilt with {@code --force}, another download) have other identities, so
 * an adapter trained on one is refused by the other.
 *
 * <ul>
 *   <li>A folder that ships a {@code manifest.json} (as {@code ./pipeline warmup} writes it) is
 *       first checked against it ({@link Sha256Manifest#verify}: every file listed and
 *       unaltered); its identity is the SHA-256 of that manifest's bytes.</li>
 *   <li>Any other folder (a Hugging Face download) gets the manifest {@link Sha256Manifest#write}
 *       would write for {@code config.json}, {@code model.safetensors.index.json} when present
 *       and every {@code *.safetensors} file at its top level, computed in memory (nothing is
 *       written); its identity is the SHA-256 of those bytes.</li>
 * </ul>
 *
 * Either way every weight byte is read once, so this costs about a pass over the weights.
 */
public final class BaseModelIdentity {

    private BaseModelIdentity() {}

    /**
     * The identity of the model folder {@code folder}.
     *
     * @throws CorruptCheckpointException when its own manifest does not match its files
     * @throws ModelFolderException when it has no {@code config.json}
     */
    public static String sha256(Path folder) {
        if (Files.exists(folder.resolve(Sha256Manifest.FILE))) {
            Sha256Manifest.verify(folder);
            return Sha256Manifest.digest(folder);
        }
        if (!Files.isRegularFile(folder.resolve("config.json"))) {
            throw new ModelFolderException(folder.resolve("config.json") + ": missing");
        }
        return Sha256Manifest.sha256(Sha256Manifest.render(
                Sha256Manifest.entries(folder, weightFiles(folder))));
    }

    private static List<String> weightFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(name -> name.equals("config.json")
                            || name.equals(WeightsLoader.INDEX_FILE)
                            || name.endsWith(".safetensors"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
