package ai.collectiveagency.selfplay.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.SafetensorsFile;
import ai.collectiveagency.policy.checkpoint.SafetensorsWriter;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.checkpoint.WeightsLoader;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading hashes the very bytes it loads: a file swapped between the verifier's check and the
 * load is refused as corrupt, and a FULL checkpoint's shard index cannot reach outside its folder.
 */
class CheckpointLoaderTest {

    private static final TestKeys KEYS = TestKeys.generate();
    private static final CheckpointSigner TRAINER = KEYS.signer();

    @TempDir
    Path root;

    private CheckpointVerifier verifier;
    private final CheckpointLoader loader = new CheckpointLoader(TestTasks.MODEL);

    @BeforeEach
    void store() {
        verifier = new CheckpointVerifier(KEYS.trusted(), LocalDirectoryStore.under(root),
                TestCheckpoints.base());
    }

    @Test
    void adapterSwappedAfterVerificationIsNeverLoaded() {
        Path folder = root.resolve("v1");
        VerifiedCheckpoint verified = verifier.verify(TestCheckpoints.lora(folder, 1, TRAINER), 0);
        TestCheckpoints.tamper(folder); // same size: only its bytes tell

        try (Llama model = Llama.load(TestTasks.MODEL)) {
            assertRefused(() -> loader.adapter(verified, model).close(), RefusalReason.CORRUPT)
                    .hasMessageContaining(TestCheckpoints.ADAPTER_FILE + ": sha256");
        }
    }

    @Test
    void verifiedAdapterLoads() {
        Path folder = root.resolve("v1");
        VerifiedCheckpoint verified = verifier.verify(TestCheckpoints.lora(folder, 1, TRAINER), 0);
        try (Llama model = Llama.load(TestTasks.MODEL);
                LoraAdapter adapter = loader.adapter(verified, model)) {
            assertThat(adapter.parameters()).isNotEmpty();
        }
    }

    @Test
    void fullWeightsSwappedAfterVerificationAreNeverLoaded() {
        Path folder = root.resolve("v1");
        VerifiedCheckpoint verified = verifier.verify(TestCheckpoints.full(folder, 1, TRAINER), 0);
        TestCheckpoints.flipByte(folder.resolve(WeightsLoader.SINGLE_FILE));

        assertRefused(() -> loader.full(verified).close(), RefusalReason.CORRUPT)
                .hasMessageContaining(WeightsLoader.SINGLE_FILE + ": sha256");
    }

    @Test
    void shardIndexPointingOutsideTheFolderIsRefused() throws IOException {
        Path folder = root.resolve("v1");
        TestCheckpoints.full(folder, 1, TRAINER);
        shard(folder, "../shared/model-00002-of-00002.safetensors");
        PolicyCheckpoint record = TRAINER.sign(TestCheckpoints.record(1, folder,
                CheckpointFormat.FULL));
        VerifiedCheckpoint verified = verifier.verify(record, 0);

        assertRefused(() -> loader.full(verified).close(), RefusalReason.CONFINEMENT)
                .hasMessageContaining("'../shared/model-00002-of-00002.safetensors', not a plain"
                        + " file name");
    }

    @Test
    void shardedFullCheckpointLoadsWithTheBaseTokenizer() throws IOException {
        Path folder = root.resolve("v1");
        TestCheckpoints.full(folder, 1, TRAINER);
        shard(folder, "model-00002-of-00002.safetensors");
        PolicyCheckpoint record = TRAINER.sign(TestCheckpoints.record(1, folder,
                CheckpointFormat.FULL));

        try (Policy policy = loader.full(verifier.verify(record, 0));
                Policy base = Policy.load(TestTasks.MODEL)) {
            assertThat(policy.encode("river")).containsExactly(base.encode("river"));
            assertThat(policy.endOfSequence()).isEqualTo(base.endOfSequence());
        }
    }

    /**
     * Splits the folder's weights in two shards listed by an index, the second one at
     * {@code second} (relative to the folder), and writes the manifest again.
     */
    private static void shard(Path folder, String second) throws IOException {
        Path single = folder.resolve(WeightsLoader.SINGLE_FILE);
        Map<String, SafetensorsWriter.Tensor> first = new LinkedHashMap<>();
        Map<String, SafetensorsWriter.Tensor> rest = new LinkedHashMap<>();
        ObjectNode index = new ObjectMapper().createObjectNode();
        ObjectNode weightMap = index.putObject("weight_map");
        try (SafetensorsFile file = SafetensorsFile.open(single)) {
            file.tensors().forEach((name, info) -> {
                boolean early = name.startsWith("model.embed") || name.contains("layers.0.");
                (early ? first : rest).put(name,
                        new SafetensorsWriter.Tensor(info.shape(), file.readFloats(name)));
                weightMap.put(name, early ? "model-00001-of-00002.safetensors" : second);
            });
        }
        Files.delete(single);
        SafetensorsWriter.write(folder.resolve("model-00001-of-00002.safetensors"), first,
                Map.of());
        Path secondFile = folder.resolve(second).normalize();
        Files.createDirectories(secondFile.getParent());
        SafetensorsWriter.write(secondFile, rest, Map.of());
        Files.writeString(folder.resolve(WeightsLoader.INDEX_FILE), index.toString());
        Files.delete(folder.resolve(Sha256Manifest.FILE));
        Sha256Manifest.write(folder);
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
            assertRefused(ThrowableAssert.ThrowingCallable load, RefusalReason reason) {
        return assertThatThrownBy(load).isInstanceOf(CheckpointRefusedException.class)
                .satisfies(e -> assertThat(((CheckpointRefusedException) e).reason())
                        .isEqualTo(reason));
    }
}
