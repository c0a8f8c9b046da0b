package ai.collectiveagency.policy.lora;

import ai.collectiveagency.policy.engine.Scalars;
import ai.collectiveagency.policy.model.LinearAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.collectiveagency.policy.model.ProjectionProducts;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models"): each targeted
 * projection y = x·Wᵀ gains a trainable low-rank term, y = x·Wᵀ + scaling · (x·Aᵀ)·Bᵀ.
 *
 * <pre>
 *   x      (..., in)
 *   A      (r, in)     kaiming-uniform, as PEFT's init_lora_weights=True
 *   B      (out, r)    zeros, so a fresh adapter leaves the model unchanged
 *   delta  (..., out)  = scaling · (x·Aᵀ)·Bᵀ,  scaling = alpha / r
 * </pre>
 *
 * <p>The factors live in a sub-manager of the model's parameters and are freed by
 * {@link #close()}. The base weights stay frozen; the reference model is the same {@link Llama}
 * run with {@code useAdapter=false}.
 *
 * <p>Usage: {@code LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(8, 16));
 * model.setAdapter(lora); lora.setTrainable(true);}
 */
public final class LoraAdapter implements LinearAdapter, AutoCloseable {

    private final LoraConfig config;
    private final NDManager manager;
    private final Map<String, LoraWeights> byProjection;
    private final float scaling;
    /** How x·Aᵀ is computed: as the model's own projections are. */
    private final ProjectionProducts products;

    /** Takes ownership of {@code manager}, which holds every array of {@code byProjection}. */
    LoraAdapter(LoraConfig config, NDManager manager, Map<String, LoraWeights> byProjection) {
        this.config = config;
        this.manager = manager;
        this.byProjection = Collections.unmodifiableMap(new LinkedHashMap<>(byProjection));
        this.scaling = (float) config.scaling();
        this.products = ProjectionProducts.configured();
    }

    /**
     * down (..., r) · Bᵀ, with Bᵀ copied into an (r, out) array of its own first (r x out floats).
     * Autograd computes B's gradient in the layout of the operand it was given: from B's
     * transposed view, as gradᵀ·down, (out, tokens)·(tokens, r), an output r wide, on which the
     * engine's sgemm ran at about 11 GFLOP/s on the Zen 5 VM; from the copy, as downᵀ·grad,
     * (r, tokens)·(tokens, out), 2.3-3.3x as fast at the bench model's shapes. The copy's
     * backward hands B its gradient, transposed. A LoRA step of the bench model spent 101 ms in
     * the engine's products against 163 (its profiler, one step).
     */
    private static NDArray up(NDArray down, NDArray b) {
        Shape shape = b.getShape();
        // Flattened, a transposed view must be copied, and autograd records that copy (clone);
        // NDArray.duplicate() is not recorded, so B would get no gradient.
        NDArray transposed = b.transpose().reshape(-1).reshape(shape.get(1), shape.get(0));
        return down.matMul(transposed);
    }

    /**
     * A fresh adapter for {@code model}: A uniform in ±1/sqrt(in) (what PEFT's
     * {@code kaiming_uniform_(A, a=sqrt(5))} gives), B zero, seeded by {@code config.seed()}.
     * It is not installed; call {@link Llama#setAdapter}.
     */
    public static LoraAdapter initialize(Llama model, LoraConfig config) {
        LlamaConfig shape = model.config();
        NDManager manager = model.parameters().manager().newSubManager();
        Random random = new Random(config.seed());
        Map<String, LoraWeights> weights = new LinkedHashMap<>();
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            for (String module : config.targetModules()) {
                long[] outIn = ParameterNames.projectionShape(shape, module);
                NDArray a = manager.create(kaimingUniform(random, config.rank(), outIn[1]),
                        new Shape(config.rank(), outIn[1]));
                NDArray b = manager.zeros(new Shape(outIn[0], config.rank()));
                weights.put(ParameterNames.projection(layer, module), new LoraWeights(a, b));
            }
        }
        return new LoraAdapter(config, manager, weights);
    }

    /** kaiming_uniform_ with a = sqrt(5): gain sqrt(1/3), bound gain·sqrt(3/fan_in). */
    private static float[] kaimingUniform(Random random, int rows, long fanIn) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] values = new float[Math.toIntExact(rows * fanIn)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextFloat() - 1) * bound;
        }
        return values;
    }

    /** {@inheritDoc} Returns scaling · (x·Aᵀ)·Bᵀ (..., out), or null for untargeted ones. */
    @Override
    public NDArray apply(String prefix, NDArray x) {
        LoraWeights weights = byProjection.get(prefix);
        if (weights == null) {
            return null;
        }
        NDArray down = Scalars.mul(products.project(x, weights.a(), null), scaling);
        return up(down, weights.b()); // (..., out)
    }

    /**
     * {@inheritDoc} The targeted projections' A are stacked, so x is projected down once for all
     * of them, (..., Σr) = x·[A₁; A₂; ...]ᵀ; each then projects its own columns back up with its
     * B. Backward reads x once for the A gradients and adds one product into x's gradient
     * instead of one per projection.
     */
    @Override
    public NDArray[] applyAll(List<String> prefixes, NDArray x) {
        LoraWeights[] weights = prefixes.stream().map(byProjection::get)
                .toArray(LoraWeights[]::new);
        NDList stacked = new NDList();
        for (LoraWeights w : weights) {
            if (w != null) {
                stacked.add(w.a());
            }
        }
        if (stacked.size() < 2) {
            return LinearAdapter.super.applyAll(prefixes, x);
        }
        NDArray down = Scalars.mul(products.project(x, NDArrays.concat(stacked, 0), null),
                scaling);
        NDArray[] deltas = new NDArray[weights.length];
        long from = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != null) {
                long rank = weights[i].a().getShape().get(0);
                NDArray own = down.get(new NDIndex("..., {}:{}", from, from + rank));
                deltas[i] = up(own, weights[i].b()); // (..., out)
                from += rank;
            }
        }
        return deltas;
    }

    public LoraConfig config() {
        return config;
    }

    /**
     * Every A and B by the name PEFT saves it under, layer by layer, A before B of each projection,
     * e.g. {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}.
     */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> named = new LinkedHashMap<>();
        byProjection.forEach((prefix, w) -> {
            named.put(PeftKeys.loraA(prefix), w.a());
            named.put(PeftKeys.loraB(prefix), w.b());
        });
        return Collections.unmodifiableMap(named);
    }

    /** Model key prefix (e.g. {@code model.layers.0.mlp.up_proj}) to its factors. */
    Map<String, LoraWeights> byProjection() {
        return byProjection;
    }

    /**
     * Marks every A and B as requiring gradient (or not).
     *
     * @throws IllegalStateException when training is asked for with a nonzero lora_dropout, which
     *     this library does not implement (so it never silently trains without it)
     */
    public void setTrainable(boolean trainable) {
        if (trainable && config.dropout() > 0) {
            throw new IllegalStateException("lora_dropout is " + config.dropout()
                    + ": training with LoRA dropout is not implemented; use lora_dropout 0"
                    + " (an adapter with dropout can still be used for inference)");
        }
        for (LoraWeights w : byProjection.values()) {
            w.a().setRequiresGradient(trainable);
            w.b().setRequiresGradient(trainable);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
