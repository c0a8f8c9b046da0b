package ai.collectiveagency.policy.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code rope_scaling} entry of {@code config.json}: how rotary frequencies are stretched for
 * contexts longer than the model was pre-trained on.
 *
 * @param type {@code linear} (positions divided by factor) or {@code llama3} (Llama 3.1's
 *     wavelength-dependent scaling)
 * @param factor the stretch factor
 * @param lowFreqFactor llama3: wavelengths above originalMax / lowFreqFactor are fully scaled
 * @param highFreqFactor llama3: wavelengths below originalMax / highFreqFactor are kept
 * @param originalMaxPositions llama3: the pre-training context length
 */
public record RopeScaling(
        String type,
        double factor,
        double lowFreqFactor,
        double highFreqFactor,
        int originalMaxPositions) {

    public RopeScaling {
        if (!type.equals("linear") && !type.equals("llama3")) {
            throw new IllegalArgumentException("unsupported rope_scaling type '" + type
                    + "' (supported: linear, llama3)");
        }
        if (!(factor > 0)) {
            throw new IllegalArgumentException("rope_scaling.factor must be positive, got "
                    + factor);
        }
    }

    /** The scaling described by a {@code rope_scaling} JSON object; null for none or default. */
    static RopeScaling fromJson(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        String type = json.path("rope_type").asText(json.path("type").asText("default"));
        if (type.equals("default")) {
            return null;
        }
        return new RopeScaling(
                type,
                json.path("factor").asDouble(1.0),
                json.path("low_freq_factor").asDouble(1.0),
                json.path("high_freq_factor").asDouble(4.0),
                json.path("original_max_position_embeddings").asInt(8192));
    }

    /** Applies the scaling to one inverse frequency (radians per position). */
    double scale(double inverseFrequency) {
        if (type.equals("linear")) {
            return inverseFrequency / factor;
        }
        double wavelength = 2 * Math.PI / inverseFrequency;
        double lowFreqWavelength = originalMaxPositions / lowFreqFactor;
        double highFreqWavelength = originalMaxPositions / highFreqFactor;
        if (wavelength < highFreqWavelength) {
            return inverseFrequency;
        }
        if (wavelength > lowFreqWavelength) {
            return inverseFrequency / factor;
        }
        double smooth = (originalMaxPositions / wavelength - lowFreqFactor)
                / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * inverseFrequency / factor + smooth * inverseFrequency;
    }
}
