package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.engine.Backward;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * A training pass whose rotary positions and attention run in Java ({@link Rotary},
 * {@link TrainingAttention}), with autograd's graph cut around them, and the backward that joins
 * the pieces.
 *
 * <p>Autograd cannot call Java, so each block's attention is a gap in the graph: its queries,
 * keys (both before the rotation) and values are where one piece ends, and its output is a new
 * leaf where the next one starts. So that each piece is back-propagated once, with its whole
 * gradient, each block's input is a leaf too: a detached view of the block before's output (no
 * copy).
 *
 * <pre>
 *   x_l (leaf) ─ norm ─ q, k, v │ rotation, attention │ o (leaf) ─ o_proj ─ + x_l ─ MLP ─ + ─ out_l
 * </pre>
 *
 * <p>{@link #backward} runs once the caller's backward has reached the last block's output
 * (the final norm reads it): then, block by block from the top, o's gradient gives in Java the
 * gradients of the rotated q and k, and of v; the transposed rotation takes q's and k's back,
 * the engine back-propagates them to x_l (and to every weight on the way), and x_l's whole
 * gradient goes on into the block below's output. Each piece is traversed once, as in one
 * backward over the whole graph; nothing is recomputed. In the engine the rotation was a
 * product with a (hD, hD) signed permutation and four element-wise products per head array,
 * forward and backward: LoRA steps of the bench model took 1.199 s (median of 8) with the
 * rotation in Java against 1.234 with it in the engine, full fine-tuning 1.508 against 1.570
 * (one process, interleaved; Zen 5, 2 cores).
 *
 * <p>Made by {@link Llama#trainingStates} for one pass; not thread-safe.
 */
public final class LayerCuts {

    /**
     * Each thread's arrays for a block's attention (queries, keys, values, output and its
     * gradient), reused from block to block and pass to pass: made per pass they were about
     * 20 MB of garbage a step of the bench model.
     */
    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

    private final TrainingAttention attention;
    private final Rotary rotary;
    private final int[][] mask;
    private final List<Block> blocks = new ArrayList<>();
    private boolean finished;

    /**
     * One block's cut: where its input came from, the input leaf, its attention's ends (q and k
     * before the rotation) and the rotation's angles.
     */
    private record Block(NDArray source, boolean sourceRecorded, NDArray input, NDArray q,
            NDArray k, NDArray v, Rotary.Angles queryAngles, Rotary.Angles keyAngles,
            NDArray out, TrainingAttention.Saved saved) {}

    /** A block entered but not yet attended. */
    private record Entered(NDArray source, boolean sourceRecorded, NDArray input) {}

    private Entered entered;

    LayerCuts(TrainingAttention attention, Rotary rotary, int[][] mask) {
        this.attention = attention;
        this.rotary = rotary;
        this.mask = mask;
    }

    /**
     * The next block's input: a leaf that is a detached view of {@code source}, the embedding's
     * output or the block before's, which stays open until {@link #backward}.
     *
     * @param recorded whether autograd recorded {@code source} (not a frozen embedding's
     *     output), so that the backward goes on from it
     */
    NDArray enter(NDArray source, boolean recorded) {
        NDArray input = source.stopGradient();
        input.setRequiresGradient(true);
        entered = new Entered(source, recorded, input);
        return input;
    }

    /**
     * The entered block's attention: q (B, T, H, hD) and k (B, T, KV, hD) to be rotated by
     * their angles (the queries' scaled by 1/sqrt(hD)), v (B, T, KV, hD); returns its output
     * (B, T, H·hD), a new leaf. Keeps q, k and v open, out of the caller's scope, for
     * {@link #backward}.
     */
    NDArray attend(NDArray q, NDArray k, NDArray v, Rotary.Angles queryAngles,
            Rotary.Angles keyAngles) {
        if (entered == null) {
            throw new IllegalStateException("attend before enter: one attention per block");
        }
        Staging staging = STAGING.get().forBlock(q.size(), k.size());
        stageRotated(q, k, v, queryAngles, keyAngles, staging);
        TrainingAttention.Saved saved = attention.forward(staging.queries, staging.keys,
                staging.values, mask, staging.out);
        Shape shape = q.getShape();
        NDArray out = NativeFloats.create(q.getManager(), staging.out,
                new Shape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3)));
        out.setRequiresGradient(true);
        NDScope.unregister(q, k, v, out); // the step's manager closes them at the latest
        blocks.add(new Block(entered.source(), entered.sourceRecorded(), entered.input(), q, k,
                v, queryAngles, keyAngles, out, saved));
        entered = null;
        return out;
    }

    /**
     * Back-propagates through every block, from the top, once the caller's backward has
     * reached the last block's output; call once, inside the same open gradient collector.
     * Each block's arrays are closed as soon as its backward is done.
     */
    public void backward() {
        if (finished) {
            throw new IllegalStateException("the cuts were back-propagated already");
        }
        finished = true;
        Staging staging = STAGING.get();
        for (int l = blocks.size() - 1; l >= 0; l--) {
            Block block = blocks.get(l);
            NDManager manager = block.q().getManager();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // copied again from the engine, not kept from the forward: Java copies of every
                // layer's q, k, v and output would be held through the whole pass
                staging.forBlock(block.q().size(), block.k().size());
                stageRotated(block.q(), block.k(), block.v(), block.queryAngles(),
                        block.keyAngles(), staging);
                NativeFloats.copy(block.out(), staging.out);
                NativeFloats.copy(block.out().getGradient(), staging.outGradient);
                attention.backward(staging.queries, staging.keys, staging.values, staging.out,
                        staging.outGradient, block.saved(), mask, staging.gradients);
                rotary.rotate(staging.gradients.queries(), heads(block.q()), block.queryAngles(),
                        true);
                rotary.rotate(staging.gradients.keys(), heads(block.k()), block.keyAngles(),
                        true);
                NDArray toInput = inner(block.q(), staging.gradients.queries(), manager)
                        .add(inner(block.k(), staging.gradients.keys(), manager))
                        .add(inner(block.v(), staging.gradients.values(), manager));
                Backward.from(toInput, manager.ones(toInput.getShape()));
                if (block.sourceRecorded()) {
                    Backward.from(block.source(), block.input().getGradient());
                }
            }
            for (NDArray done : new NDArray[] {block.q(), block.k(), block.v(), block.out(),
                    block.input(), block.source()}) {
                done.close();
            }
        }
        blocks.clear();
    }

    /** q, k and v into the staging arrays, q and k rotated there. */
    private void stageRotated(NDArray q, NDArray k, NDArray v, Rotary.Angles queryAngles,
            Rotary.Angles keyAngles, Staging staging) {
        NativeFloats.copy(q, staging.queries);
        NativeFloats.copy(k, staging.keys);
        NativeFloats.copy(v, staging.values);
        rotary.rotate(staging.queries, heads(q), queryAngles, false);
        rotary.rotate(staging.keys, heads(k), keyAngles, false);
    }

    /** The heads of a (B, T, heads, hD) array. */
    private static int heads(NDArray array) {
        return Math.toIntExact(array.getShape().get(2));
    }

    /**
     * Σ array·gradient, whose backward hands {@code array} the gradient: how q, k and v, three
     * arrays of one graph, start one backward together.
     */
    private static NDArray inner(NDArray array, float[] gradient, NDManager manager) {
        return array.mul(NativeFloats.create(manager, gradient, array.getShape())).sum();
    }

    /** A thread's arrays, sized for the current block's shapes. */
    private static final class Staging {
        float[] queries = new float[0];
        float[] keys = new float[0];
        float[] values = new float[0];
        float[] out = new float[0];
        float[] outGradient = new float[0];
        TrainingAttention.Gradients gradients =
                new TrainingAttention.Gradients(new float[0], new float[0], new float[0]);

        /** Itself, with arrays of exactly {@code queryFloats} and {@code keyFloats}. */
        Staging forBlock(long queryFloats, long keyFloats) {
            if (queries.length != queryFloats || keys.length != keyFloats) {
                int q = Math.toIntExact(queryFloats);
                int k = Math.toIntExact(keyFloats);
                queries = new float[q];
                keys = new float[k];
                values = new float[k];
                out = new float[q];
                outGradient = new float[q];
                gradients = new TrainingAttention.Gradients(new float[q], new float[k],
                        new float[k]);
            }
            return this;
        }
    }
}
