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
 * the step and version, the base model (its name and its identity, the digest of its weights'
 * manifest), the next offset to read per scored-topic partition
 * (everything before it was trained on, dropped or evaluated), the running role baselines, and
 * the ledger, from the run's first step: which task ids each step trained on, which were dropped,
 * and which held-out groups were evaluated. Together the three account for every scored record
 * before the offsets exactly once; the held-out groups are in the ledger so that this stays true
 * now that some consumed records are neither trained on nor dropped.
 *
 * @param baseModelSha256 the base model's identity ({@code BaseModelIdentity}); null when read
 *     from a state written before it was recorded
 * @param consumedOffsets next offset to read, by {@code topic-partition}
 * @param heldOut held-out groups evaluated (never trained on), in the order they were read;
 *     empty when read from a state written before held-out groups were recorded
 */
public record TrainerState(
        @JsonProperty("step") long step,
        @JsonProperty("version") long version,
        @JsonProperty("base_model") String baseModel,
        @JsonProperty("base_model_sha256") String baseModelSha256,
        @JsonProperty("consumed_offsets") Map<String, Long> consumedOffsets,
        @JsonProperty("role_baselines") Map<String, Double> roleBaselines,
        @JsonProperty("ledger") List<StepRecord> ledger,
        @JsonProperty("dropped") List<Dropped> dropped,
        @JsonProperty("held_out") List<HeldOut> heldOut) {

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
        // A checkpoint written before held-out groups were recorded has no such field.
        heldOut = heldOut == null ? List.of() : List.copyOf(heldOut);
    }

    /** One optimiser step: the policy version it produced and the tasks it trained on. */
    public record StepRecord(@JsonProperty("step") long step,
            @JsonProperty("task_ids") List<String> taskIds) {
    }

    /**
     * A scored record not trained on, and why ({@code stale}, {@code undecodable}, {@code unfit},
     * {@code no_tokens}); a held-out group is not dropped but {@link HeldOut}.
     */
    public record Dropped(@JsonProperty("task_id") String taskId,
            @JsonProperty("reason") String reason) {
    }

    /**
     * A held-out group that was evaluated, not trained on: its task and the policy version that
     * sampled it (the {@code policy_version} of its {@code EvalResult}).
     */
    public record HeldOut(@JsonProperty("task_id") String taskId,
            @JsonProperty("policy_version") long policyVersion) {
    }

    /** A run that has taken no step. */
    public static TrainerState fresh(BaseModel baseModel) {
        return new TrainerState(0, 0, baseModel.name(), baseModel.sha256(), Map.of(), Map.of(),
                List.of(), List.of(), List.of());
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
