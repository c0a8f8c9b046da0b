package ai.collectiveagency.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import ai.collectiveagency.policy.checkpoint.BaseModelIdentity;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.trainer.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store of checkpoints resumes only on the base model it was made on, by digest. */
class BaseModelTest {

    @TempDir
    Path dir;

    @Test
    void storeMadeOnARebuiltBaseModelRefusesToResumeNamingBothDigests() throws Exception {
        Path base = copy(Path.of(TestConfigs.MODEL), dir.resolve("qwen2-tiny-random"));
        BaseModel before = new BaseModel("qwen2-tiny-random", BaseModelIdentity.sha256(base));
        CheckpointDirectory store = new CheckpointDirectory(dir.resolve("store"));
        store.write(1, partial -> {
            partial.toFile().mkdirs();
            state(before).write(partial);
        });
        // rebuilt under the same name: other weights
        Path weights = base.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        BaseModel rebuilt = new BaseModel("qwen2-tiny-random", BaseModelIdentity.sha256(base));
        TrainerState latest = TrainerState.read(store.latestValid().orElseThrow());

        assertThatIllegalStateException()
                .isThrownBy(() -> rebuilt.requireSameAs(latest, store.root()))
                .withMessageContaining("with sha256 " + before.sha256())
                .withMessageContaining("trainer.model has sha256 " + rebuilt.sha256());
        assertThat(before.requireSameAs(latest, store.root())).isTrue();
    }

    @Test
    void storeOfAnotherBaseModelNameRefusesToResume() {
        BaseModel other = new BaseModel("stories260k", "cd".repeat(32));
        assertThatIllegalStateException()
                .isThrownBy(() -> other.requireSameAs(state(new BaseModel("qwen2-tiny-random",
                        "ab".repeat(32))), dir))
                .withMessageContaining("base model qwen2-tiny-random, but trainer.model is"
                        + " stories260k");
    }

    @Test
    void stateWrittenBeforeIdentitiesWereRecordedResumesOnItsName() {
        TrainerState old = new TrainerState(1, 1, "qwen2-tiny-random", null, Map.of(), Map.of());
        assertThat(new BaseModel("qwen2-tiny-random", "ab".repeat(32))
                .requireSameAs(old, dir)).isFalse();
    }

    private static TrainerState state(BaseModel base) {
        return new TrainerState(1, 1, base.name(), base.sha256(), Map.of(), Map.of());
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        assertThat(to.resolve(Sha256Manifest.FILE)).doesNotExist();
        return to;
    }
}
