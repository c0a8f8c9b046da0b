package ai.collectiveagency.policy.lora;

import ai.collectiveagency.policy.model.ParameterNames;

import java.util.HashSet;
import java.util.List;

/**
 * The hyper-parameters of a LoRA adapter (Hu et al. 2021), named as PEFT's {@code LoraConfig}.
 *
 * @param rank r, the inner width of each update B·A
 * @param alpha lora_alpha; updates are scaled by alpha / r
 * @param dropout lora_dropout, kept so a saved adapter says what it was trained with; this
 *     library trains only with 0 (see {@link LoraAdapter#setTrainable}) and, like PEFT in eval
 *     mode, ignores it at inference
 * @param targetModules the projections that get an update, a subset of
 *     {@link ParameterNames#PROJECTIONS}, in that order
 * @param seed seeds the random initialisation of every A
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules,
        long seed) {

    public LoraConfig {
        if (rank <= 0) {
            throw new IllegalArgumentException("LoRA rank r must be positive, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("lora_alpha must be positive and finite, got "
                    + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
        }
        targetModules = canonicalOrder(targetModules);
    }

    /** Rank {@code rank}, {@code alpha}, no dropout, every projection, seed 0. */
    public static LoraConfig of(int rank, double alpha) {
        return new LoraConfig(rank, alpha, 0, ParameterNames.PROJECTIONS, 0);
    }

    /** This config with other target modules. */
    public LoraConfig withTargetModules(List<String> modules) {
        return new LoraConfig(rank, alpha, dropout, modules, seed);
    }

    /** This config with another initialisation seed. */
    public LoraConfig withSeed(long newSeed) {
        return new LoraConfig(rank, alpha, dropout, targetModules, newSeed);
    }

    /** The factor on every update: alpha / r (PEFT's default, not rsLoRA's alpha / sqrt(r)). */
    public double scaling() {
        return alpha / rank;
    }

    private static List<String> canonicalOrder(List<String> modules) {
        if (modules == null || modules.isEmpty()) {
            throw new IllegalArgumentException("target_modules must name at least one of "
                    + ParameterNames.PROJECTIONS);
        }
        if (new HashSet<>(modules).size() != modules.size()) {
            throw new IllegalArgumentException("target_modules lists a module twice: " + modules);
        }
        for (String module : modules) {
            if (!ParameterNames.PROJECTIONS.contains(module)) {
                throw new IllegalArgumentException("target_modules: unsupported module '" + module
                        + "' (supported: " + String.join(", ", ParameterNames.PROJECTIONS) + ")");
            }
        }
        return ParameterNames.PROJECTIONS.stream().filter(modules::contains).toList();
    }
}
