package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.decode.CpuId;
import ai.collectiveagency.policy.decode.PanelStreams;
import ai.collectiveagency.policy.model.ProjectionProducts;
import ai.collectiveagency.policy.model.RecordedAttention;
import ai.collectiveagency.policy.scoring.HeadProducts;
import ai.collectiveagency.policy.sampling.Generator;
import jdk.incubator.vector.FloatVector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a bench's figures depend on beyond the code: the CPU's model and vector features (AVX2,
 * AVX-512, AMX), the Vector API's preferred width, the threads and the JVM. Every bench prints
 * it, so shares measured on different machines can be read side by side.
 *
 * @param cpu          the CPU's model name, or "unknown" where /proc/cpuinfo is not readable
 * @param features     the vector features among {@link #WATCHED} the CPU reports, in that order
 * @param vectorBits   {@code FloatVector.SPECIES_PREFERRED}'s width: what the Java kernels use
 * @param panelStreams the streams the Java decoder's kernels read each weight panel as, 1 or 2
 *                     ({@link PanelStreams#preferred()}: by CPU vendor unless set)
 * @param javaPrefillTokens the most prompt tokens the Java decoder prefills itself ({@link
 *                     Generator#configuredJavaPrefillTokens()}: by CPU unless set)
 * @param projections  how the engine computes a block's projections, "matmul" or
 *                     "convolution" ({@link ProjectionProducts#configured()}: by CPU unless set)
 * @param trainingHead who computes the output head's products in a training pass, "engine" or
 *                     "java" ({@link HeadProducts#configured()}: by CPU unless set)
 * @param trainingAttention who attends in a training pass, "engine" or "java"
 *                     ({@link RecordedAttention#configured()}: by CPU unless set)
 * @param threads      logical CPUs the JVM sees
 * @param java         the JVM's version
 */
public record CpuFeatures(String cpu, List<String> features, int vectorBits, int panelStreams,
        int javaPrefillTokens, String projections, String trainingHead, String trainingAttention,
        int threads, String java) {

    /** The /proc/cpuinfo flags that change a CPU bench's bound, widest last. */
    public static final List<String> WATCHED = List.of("fma", "avx2", "avx512f", "avx512_vnni",
            "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8");

    public CpuFeatures {
        features = List.copyOf(features);
    }

    /** This machine's. */
    public static CpuFeatures detect() {
        String model = CpuId.field("model name");
        String cpu = model.isEmpty() ? "unknown" : model; // not Linux, or not readable
        Set<String> flags = Set.copyOf(Arrays.asList(CpuId.field("flags").split("\\s+")));
        List<String> present = new ArrayList<>();
        for (String feature : WATCHED) {
            if (flags.contains(feature)) {
                present.add(feature);
            }
        }
        return new CpuFeatures(cpu, present, FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                PanelStreams.preferred().count(), Generator.configuredJavaPrefillTokens(),
                ProjectionProducts.configured().name().toLowerCase(Locale.ROOT),
                HeadProducts.configured().name().toLowerCase(Locale.ROOT),
                RecordedAttention.configured().name().toLowerCase(Locale.ROOT),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    /** The fields as a bench's JSON prints them. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", cpu);
        out.put("vector_features", features);
        out.put("vector_bits", vectorBits);
        out.put("decode_panel_streams", panelStreams);
        out.put("decode_java_prefill_tokens", javaPrefillTokens);
        out.put("engine_projections", projections);
        out.put("training_head", trainingHead);
        out.put("training_attention", trainingAttention);
        out.put("threads", threads);
        out.put("java", java);
        return out;
    }
}
