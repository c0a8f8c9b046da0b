package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A group names its model as Hugging Face does, or by its folder. */
class ModelNameTest {

    @Test
    void theConfigsNameOrPathWins(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("config.json"),
                "{\"_name_or_path\": \"Qwen/Qwen2-0.5B\"}");

        assertThat(ModelName.of(folder)).isEqualTo("Qwen/Qwen2-0.5B");
    }

    @Test
    void withoutItTheFolderNames() {
        assertThat(ModelName.of(TestTasks.MODEL)).isEqualTo("qwen2-tiny-random");
    }
}
