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
 * A training pass whose attention runs in Java ({@link TrainingAttention}), with autograd's
 * graph cut around it, and the backward that joins the pieces.
 *
 * <p>Autograd cannot call Java, so each block's attention is a gap in the graph: its queries,
 * keys and values are where one piece ends, and its output is a new leaf where the next one
 * starts. So that each piece is back-propagated once, with its whole gradient, each block's
 * input is a leaf too: a detached view of the block before's output (no copy).
 *
 * <pre>
 *   x_l (leaf) ─ norm ─ q, k, v │ Java attention │ o (leaf) ─ o_proj ─ + x_l ─ MLP ─ + ─ out_l
 * </pre>
 *
 * <p>{@link #backward} runs once the caller's backward has reached the last block's output
 * (the final norm reads it): then, block by block from the top, o's gradient gives q's, k's and
 * v's in Java, the engine back-propagates them to x_l (and to every weight on the way), and x_l's
 * whole gradient goes on into the block below's output. Each piece is traversed once, as in one
 * backward over the whole graph; nothing is recomputed.
 *
 * <p>Made by {@link Llama#trainingStates} for one pass; not thread-safe.
 */
public final class LayerCuts {

    private final TrainingAttention attention;
    private final int[][] mask;
    private final List<Block> blocks = new ArrayList<>();
    private Block current;
    private float[] queries = new float[0];
    private float[] keys = new float[0];
    private float[] values = new float[0];
    private float[] out = new float[0];
    private float[] outGradient = new float[0];
    private TrainingAttention.Gradients gradients;

    /** One block's cut: its input, where that came from, and its attention's ends. */
    private static final class Block {
        final NDArray source;
        final boolean sourceRecorded;
        final NDArray input;
        NDArray q;
        NDArray k;
        NDArray v;
        NDArray out;
        TrainingAttention.Saved saved;

        Block(NDArray source, boolean sourceRecorded, NDArray input) {
            this.source = source;
            this.sourceRecorded = sourceRecorded;
            this.input = input;
        }
    }

    LayerCuts(TrainingAttention attention, int[][] mask) {
        this.attention = attention;
        this.mask = mask;
    }

    /**
     * The next block's input: a leaf that is a detached view of {@code source}, the embedding's
     * output or the block before's, which must stay open until {@link #backward}.
     *
     * @param recorded whether autograd recorded {@code source} (not a frozen embedding's
     *     output), so that the backward goes on from it
     */
    NDArray enter(NDArray source, boolean recorded) {
        NDArray input = source.stopGradient();
        input.setRequiresGradient(true);
        current = new Block(source, recorded, input);
        blocks.add(current);
        return input;
    }

    /**
     * The current block's attention: q (B, T, H, hD) rotated and scaled, k and v (B, T, KV, hD);
     * returns its output (B, T, H·hD), a new leaf. Keeps q, k and v open, out of the caller's
     * scope, for {@link #backward}.
     */
    NDArray attend(NDArray q, NDArray k, NDArray v) {
        queries = NativeFloats.copy(q, sized(queries, q.size()));
        keys = NativeFloats.copy(k, sized(keys, k.size()));
        values = NativeFloats.copy(v, sized(values, v.size()));
        out = sized(out, q.size());
        TrainingAttention.Saved saved = attention.forward(queries, keys, values, mask, out);
        Shape shape = q.getShape();
        NDArray result = NativeFloats.create(q.getManager(), out,
                new Shape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3)));
        result.setRequiresGradient(true);
        NDScope.unregister(q, k, v, result); // the step's manager closes them at the latest
        current.q = q;
        current.k = k;
        current.v = v;
        current.out = result;
        current.saved = saved;
        return result;
    }

    /**
     * Back-propagates through every block, from the top, once the caller's backward has
     * reached the last block's output; call inside the same open gradient collector.
     */
    public void backward() {
        for (int l = blocks.size() - 1; l >= 0; l--) {
            Block block = blocks.get(l);
            NDManager manager = block.q.getManager();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                queries = NativeFloats.copy(block.q, sized(queries, block.q.size()));
                keys = NativeFloats.copy(block.k, sized(keys, block.k.size()));
                values = NativeFloats.copy(block.v, sized(values, block.v.size()));
                out = NativeFloats.copy(block.out, sized(out, block.out.size()));
                outGradient = NativeFloats.copy(block.out.getGradient(),
                        sized(outGradient, block.out.size()));
                if (gradients == null || gradients.queries().length != queries.length
                        || gradients.keys().length != keys.length) {
                    gradients = new TrainingAttention.Gradients(new float[queries.length],
                            new float[keys.length], new float[keys.length]);
                }
                attention.backward(queries, keys, values, out, outGradient, block.saved, mask,
                        gradients);
                NDArray toInput = block.q.mul(NativeFloats.create(manager, gradients.queries(),
                                block.q.getShape())).sum()
                        .add(block.k.mul(NativeFloats.create(manager, gradients.keys(),
                                block.k.getShape())).sum())
                        .add(block.v.mul(NativeFloats.create(manager, gradients.values(),
                                block.v.getShape())).sum());
                Backward.from(toInput, manager.ones(toInput.getShape()));
                if (block.sourceRecorded) {
                    Backward.from(block.source, block.input.getGradient());
                }
            }
            for (NDArray done : new NDArray[] {block.q, block.k, block.v, block.out}) {
                done.close();
            }
        }
        blocks.clear();
    }

    private static float[] sized(float[] array, long size) {
        return array.length == size ? array : new float[Math.toIntExact(size)];
    }
}
