package ai.collectiveagency.policy.optim;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.engine.NoGradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), step for step as
 * {@code torch.optim.AdamW}: with gradient g, learning rate lr from the schedule and step t,
 * <pre>
 *   p -= lr * wd * p
 *   m = b1 * m + (1 - b1) * g;      v = b2 * v + (1 - b2) * g^2
 *   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 *
 * <p>Parameters are named arrays of any shape that {@code setRequiresGradient(true)}; they are
 * updated in place ({@link AdamWUpdate}): float32 arrays on the CPU by one Java pass over their
 * memory, others by engine operations in the same order. The moments m and v (same shape and
 * dtype as their parameter) live in this optimiser's own manager, closed by {@link #close()};
 * each step closes its temporaries, so memory stays flat over a run.
 *
 * <p>Gradient accumulation: {@link #step()} only reads the gradients. PyTorch adds every
 * {@code backward} into them, so call backward on several micro-batches (each loss normalised
 * for the whole batch, e.g. DAPO's token normaliser), then {@code step()} once, then
 * {@link #zeroGradients()}:
 * <pre>{@code
 * for (MicroBatch micro : batch) { try (GradientCollector c = ...) { c.backward(loss(micro)); } }
 * double norm = GradientClipping.globalNorm(params);
 * if (Double.isFinite(norm)) { optimizer.step(GradientClipping.scaleFor(norm, 1.0)); }
 * optimizer.zeroGradients();
 * }</pre>
 */
public final class AdamW implements AutoCloseable {

    /** The two moment estimates of one parameter, in the optimiser's manager. */
    record Moments(NDArray expAvg, NDArray expAvgSq) {}

    private final Map<String, NDArray> parameters;
    private final Map<String, Moments> moments = new LinkedHashMap<>();
    private final AdamWConfig config;
    private final ScheduleConfig scheduleConfig;
    private final LearningRateSchedule schedule;
    private final NDManager stateManager;
    private int step;

    /**
     * @param parameters named parameters to optimise, each requiring a gradient; iteration order
     *     is kept (and used in the saved state)
     * @param config the optimiser's hyper-parameters
     * @param schedule the learning-rate curve, scaling {@link AdamWConfig#learningRate()}
     */
    public AdamW(Map<String, NDArray> parameters, AdamWConfig config, ScheduleConfig schedule) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.scheduleConfig = Objects.requireNonNull(schedule, "schedule must not be null");
        this.schedule = schedule.schedule(config.learningRate());
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("parameters must not be empty");
        }
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        NDArray first = parameters.values().iterator().next();
        this.stateManager = first.getManager().getEngine().newBaseManager(first.getDevice());
        parameters.forEach((name, parameter) -> {
            if (!parameter.hasGradient()) {
                throw new IllegalArgumentException(name + " does not require a gradient");
            }
            moments.put(name, new Moments(
                    stateManager.zeros(parameter.getShape(), parameter.getDataType()),
                    stateManager.zeros(parameter.getShape(), parameter.getDataType())));
        });
    }

    /** Resumes an optimiser saved by {@link #save} over the same named parameters. */
    public static AdamW restore(Path directory, Map<String, NDArray> parameters)
            throws IOException {
        return OptimizerCheckpoint.restore(directory, parameters);
    }

    /**
     * Updates every parameter from its accumulated gradient.
     *
     * @return the learning rate this step used
     */
    public double step() {
        return step(1);
    }

    /**
     * Updates every parameter from its accumulated gradient times {@code gradientScale}, each
     * product rounded to float as the engine's in-place scaling rounds it: the same update, to
     * the bit, as scaling the gradients first ({@link GradientClipping#clipByGlobalNorm}), with
     * no pass over them of its own. Usage: {@code optimizer.step(GradientClipping.scaleFor(
     * GradientClipping.globalNorm(parameters), maxNorm))}.
     *
     * @return the learning rate this step used
     */
    public double step(double gradientScale) {
        if (!(gradientScale > 0) || Double.isInfinite(gradientScale)) {
            throw new IllegalArgumentException("gradient scale must be finite and > 0, got "
                    + gradientScale);
        }
        double learningRate = schedule.at(step);
        step++;
        AdamWUpdate coefficients = AdamWUpdate.of(config, learningRate, step, gradientScale);
        parameters.forEach((name, parameter) ->
                update(parameter, moments.get(name), coefficients));
        return learningRate;
    }

    /**
     * One parameter's update: in Java over the arrays' own memory, split over the shared
     * decode threads (a decoder in the same process waits for it), or as engine operations
     * where Java cannot view an array (on a GPU, non-contiguous, over 2 GiB). Writing through
     * the memory bypasses autograd's version counter: a graph that still holds a parameter is
     * not told that it changed, as no graph should be when the optimiser steps.
     */
    private static void update(NDArray parameter, Moments m, AdamWUpdate coefficients) {
        try (NDArray gradient = parameter.getGradient()) {
            Optional<ByteBuffer> p = NativeFloats.view(parameter);
            Optional<ByteBuffer> g = NativeFloats.view(gradient);
            Optional<ByteBuffer> first = NativeFloats.view(m.expAvg());
            Optional<ByteBuffer> second = NativeFloats.view(m.expAvgSq());
            if (p.isPresent() && g.isPresent() && first.isPresent() && second.isPresent()) {
                ParallelRange.shared().run(Math.toIntExact(parameter.size()), VectorPass.GRAIN,
                        (start, end) -> coefficients.apply(p.get(), g.get(), first.get(),
                                second.get(), start, end));
            } else {
                coefficients.applyInEngine(parameter, gradient, m.expAvg(), m.expAvgSq());
            }
        }
    }

    /**
     * Sets every parameter's gradient to 0 (also clearing NaN and infinity), since PyTorch adds
     * each backward pass into the existing gradients. In Java over the gradients' memory where
     * Java can view it, split over the shared decode threads: the engine's indexed assignment
     * filled a scalar array and copied it over each gradient, two passes instead of one.
     */
    public void zeroGradients() {
        try (NoGradient noGradient = new NoGradient(); NDScope temporaries = new NDScope()) {
            for (NDArray parameter : parameters.values()) {
                NDArray gradient = parameter.getGradient();
                Optional<ByteBuffer> memory = NativeFloats.view(gradient);
                if (memory.isPresent()) {
                    ParallelRange.shared().run(Math.toIntExact(gradient.size()), VectorPass.GRAIN,
                            (start, end) -> VectorPass.zero(memory.get(), start, end));
                } else {
                    gradient.set(new NDIndex("..."), 0);
                }
            }
        }
    }

    /** Writes {@code optimizer.safetensors} and {@code optimizer.json} into {@code directory}. */
    public void save(Path directory) throws IOException {
        OptimizerCheckpoint.save(this, directory);
    }

    /** Number of updates made so far (restored by {@link #restore}). */
    public int stepCount() {
        return step;
    }

    /** The learning rate the next {@link #step()} will use. */
    public double nextLearningRate() {
        return schedule.at(step);
    }

    public AdamWConfig config() {
        return config;
    }

    public ScheduleConfig scheduleConfig() {
        return scheduleConfig;
    }

    /** The optimised parameters by name, in their original order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** The moment estimates by parameter name (for saving and tests). */
    Map<String, Moments> moments() {
        return Collections.unmodifiableMap(moments);
    }

    /** Overwrites the moments and step count with saved ones; shapes were checked by the caller. */
    void load(int savedStep, Map<String, Moments> saved) {
        try (NoGradient noGradient = new NoGradient()) {
            saved.forEach((name, m) -> {
                moments.get(name).expAvg().set(new NDIndex("..."), m.expAvg());
                moments.get(name).expAvgSq().set(new NDIndex("..."), m.expAvgSq());
            });
        }
        this.step = savedStep;
    }

    /** Frees the moment estimates; the parameters belong to the caller. */
    @Override
    public void close() {
        stateManager.close();
    }
}
