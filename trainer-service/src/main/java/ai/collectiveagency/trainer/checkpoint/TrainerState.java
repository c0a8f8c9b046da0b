package ai.collectiveagency.trainer.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a checkpoint holds besides weights and optimizer state ({@code trainer-state.json}):
 * the step and version, the base model (its name and its identity, the digest of its weights'
 * manifest), the next offset to read per scored-topic partition (everything before it was
 * trained on, evaluated or dead-lettered) and the running role baselines. Its size does not
 * grow with the run: what became of each record is in the ledger files beside the checkpoints
 * ({@code ai.collectiveagency.trainer.ledger.LedgerFiles}). A state written before the ledger
 * moved there still reads; its {@code ledger}, {@code dropped} and {@code held_out} lists are
 * passed over.
 *
 * @param baseModelSha256 the base model's identity ({@code BaseModelIdentity}); null when read
 *     from a state written before it was recorded
 * @param consumedOffsets next offset to read, by {@code topic-partition}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainerState(
        @JsonProperty("step") long step,
        @JsonProperty("version") long version,
        @JsonProperty("base_model") String baseModel,
        @JsonProperty("base_model_sha256") String baseModelSha256,
        @JsonProperty("consumed_offsets") Map<String, Long> consumedOffsets,
        @JsonProperty("role_baselines") Map<String, Double> roleBaselines) {

    /** The file inside a checkpoint folder. */
    public static final String FILE = "trainer-state.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    public TrainerState {
        Objects.requireNonNull(baseModel, "baseModel");
        consumedOffsets = Map.copyOf(consumedOffsets);
        roleBaselines = Map.copyOf(roleBaselines);
    }

    /** A run that has taken no step. */
    public static TrainerState fresh(BaseModel baseModel) {
        return new TrainerState(0, 0, baseModel.name(), baseModel.sha256(), Map.of(), Map.of());
    }
    public void write(Path folder) {
        try {
            JSON.writeValue(folder.resolve(FILE).toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE), e);
        }
    }

    public static TrainerState read(Path folder) {
        try {
            return JSON.readValue(folder.resolve(FILE).toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder.resolve(FILE), e);
        }
    }
}
