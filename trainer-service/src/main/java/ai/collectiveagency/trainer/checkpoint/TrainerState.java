package ai.collectiveagency.trainer.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a checkpoint holds besides weights and optimizer state ({@code trainer-state.json}):
 * the step and version, the base model, the next offset to read per scored-topic partition
 * (everything before it was trained on or dropped), the running role baselines, and the ledger:
 * which task ids each step trained on and which were dropped, from the run's first step.
 *
 * @param consumedOffsets next offset to read, by {@code topic-partition}
 */
public record TrainerState(
        @JsonProperty("step") long step,
        @JsonProperty("version") long version,
        @JsonProperty("base_model") String baseModel,
        @JsonProperty("consumed_offsets") Map<String, Long> consumedOffsets,
        @JsonProperty("role_baselines") Map<String, Double> roleBaselines,
        @JsonProperty("ledger") List<StepRecord> ledger,
        @JsonProperty("dropped") List<Dropped> dropped) {

    /** The file inside a checkpoint folder. */
    public static final String FILE = "trainer-state.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    public TrainerState {
        Objects.requireNonNull(baseModel, "baseModel");
        consumedOffsets = Map.copyOf(consumedOffsets);
        roleBaselines = Map.copyOf(roleBaselines);
        ledger = List.copyOf(ledger);
        dropped = List.copyOf(dropped);
    }

    /** One optimiser step: the policy version it produced and the tasks it trained on. */
    public record StepRecord(@JsonProperty("step") long step,
            @JsonProperty("task_ids") List<String> taskIds) {
    }

    /** A scored record not trained on, and why (stale, undecodable). */
    public record Dropped(@JsonProperty("task_id") String taskId,
            @JsonProperty("reason") String reason) {
    }

    /** A run that has taken no step. */
    public static TrainerState fresh(String baseModel) {
        return new TrainerState(0, 0, baseModel, Map.of(), Map.of(), List.of(), List.of());
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
