package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.engine.ReproducibleMath;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SwiGLU's activation silu(g)·u (Shazeer 2020) in a forward pass that autograd records, with
 * both of its derivatives from one Java pass over the gate's and the up projection's memory.
 *
 * <pre>
 *   σ   = sigmoid(g)
 *   Q   = silu(g) = g·σ                       = ∂act/∂u
 *   P   = u·σ·(1 + g·(1 − σ))                 = ∂act/∂g
 *   act = u·Q + (g·P − stop_gradient(g·P))    (engine)
 * </pre>
 *
 * <p>The bracket is a value minus itself, exactly zero for finite g·P, so act is u·Q to the bit
 * (but for the sign of a zero); autograd sees
 * two products with arrays that need no gradient, and its backward is grad·Q for u and grad·P
 * for g. The engine's chain g·sigmoid(g)·u takes a sigmoid and a copy of its left operand (an
 * in-place product under autograd) forward, four products, the sigmoid's backward and a sum
 * backward, and keeps four full-size arrays for backward where this keeps two (Q and P).
 *
 * <p>Results are the same to the bit however the pass is split over threads and whether the
 * JIT has compiled it or not ({@link ReproducibleMath}): a resumed trainer repeats its steps.
 */
final class JavaSwiGlu {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Floats per part handed to a thread: a multiple of every vector width. */
    private static final int GRAIN = 16 * 1024;

    private JavaSwiGlu() {}

    /**
     * silu(gate)·up for arrays of one shape, recorded by autograd; empty where Java cannot view
     * either's memory ({@link #views}), which the engine's chain then computes.
     */
    static Optional<NDArray> activate(NDArray gate, NDArray up) {
        Optional<ByteBuffer[]> memory = views(gate, up);
        if (memory.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer g = memory.get()[0];
        ByteBuffer u = memory.get()[1];
        NDManager manager = gate.getManager();
        NDArray silu = manager.create(gate.getShape(), DataType.FLOAT32);
        NDArray slope = manager.create(gate.getShape(), DataType.FLOAT32);
        derivatives(g, u, NativeFloats.view(silu).orElseThrow(),
                NativeFloats.view(slope).orElseThrow(), Math.toIntExact(gate.size()));
        NDArray carrier = gate.mul(slope); // g·P: carries the gradient to g
        NDArray held = carrier.stopGradient();
        NDArray zero = carrier.sub(held);
        NDArray activated = up.mul(silu).addi(zero);
        // autograd keeps Q and P for backward itself; the rest need not outlive the down
        // projection that follows in the block
        for (NDArray done : new NDArray[] {carrier, held, zero, silu, slope}) {
            done.close();
        }
        return Optional.of(activated);
    }

    /**
     * silu(gate)·up written over gate's memory, for a pass that autograd does not record (a
     * prefill, a reference model's scores); returns gate, or empty where Java cannot view both
     * arrays. The engine's chain (a sigmoid, a product, a product in place) made a new array of
     * the gate's size per block and took 47 ms of a 363 ms prefill of the bench model (8 x 256
     * tokens; Zen 5 VM, the engine's profiler, 2026-12-07). Results repeat to the bit whatever
     * the split over threads, as {@link #derivatives}' do: a trainer's reference scores feed its
     * loss.
     */
    static Optional<NDArray> activateInPlace(NDArray gate, NDArray up) {
        Optional<ByteBuffer[]> memory = views(gate, up);
        if (memory.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer g = memory.get()[0];
        ByteBuffer u = memory.get()[1];
        ParallelRange.shared().run(Math.toIntExact(gate.size()), GRAIN,
                (start, end) -> activated(g, u, start, end));
        return Optional.of(gate);
    }

    /**
     * The memory of gate and up, arrays of one shape, or empty where Java cannot view either's
     * (not float32, on a GPU, not contiguous, over 2 GiB).
     */
    private static Optional<ByteBuffer[]> views(NDArray gate, NDArray up) {
        if (!gate.getShape().equals(up.getShape())) {
            throw new IllegalArgumentException("gate " + gate.getShape() + " and up "
                    + up.getShape() + " differ in shape");
        }
        Optional<ByteBuffer> g = NativeFloats.view(gate);
        Optional<ByteBuffer> u = NativeFloats.view(up);
        return g.isPresent() && u.isPresent() ? Optional.of(new ByteBuffer[] {g.get(), u.get()})
                : Optional.empty();
    }

    /** gate[i] = silu(gate[i])·up[i] for i in [start, end); the tail through padded copies. */
    private static void activated(ByteBuffer gate, ByteBuffer up, int start, int end) {
        int bound = start + SPECIES.loopBound(end - start);
        for (int i = start; i < bound; i += SPECIES.length()) {
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gate, i * Float.BYTES, ORDER);
            FloatVector u = FloatVector.fromByteBuffer(SPECIES, up, i * Float.BYTES, ORDER);
            g.mul(ReproducibleMath.sigmoid(g)).mul(u).intoByteBuffer(gate, i * Float.BYTES,
                    ORDER);
        }
        if (bound < end) {
            ByteBuffer g = padded(gate, bound, end);
            activated(g, padded(up, bound, end), 0, SPECIES.length());
            copyBack(g, gate, bound, end);
        }
    }

    /** Q = silu(g) and P = u·σ(g)·(1 + g·(1 − σ(g))) for {@code size} floats. */
    static void derivatives(ByteBuffer gate, ByteBuffer up, ByteBuffer silu, ByteBuffer slope,
            int size) {
        ParallelRange.shared().run(size, GRAIN,
                (start, end) -> derivatives(gate, up, silu, slope, start, end));
    }

    /**
     * The floats [start, end). The vector loop is a method of its own, apart from the lambda,
     * with the formula written out: with P from a helper method taking vectors, the pass took
     * five times as long on JDK 17.
     */
    private static void derivatives(ByteBuffer gate, ByteBuffer up, ByteBuffer silu,
            ByteBuffer slope, int start, int end) {
        int bound = start + SPECIES.loopBound(end - start);
        for (int i = start; i < bound; i += SPECIES.length()) {
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gate, i * Float.BYTES, ORDER);
            FloatVector u = FloatVector.fromByteBuffer(SPECIES, up, i * Float.BYTES, ORDER);
            FloatVector sigma = ReproducibleMath.sigmoid(g);
            g.mul(sigma).intoByteBuffer(silu, i * Float.BYTES, ORDER);
            u.mul(sigma).mul(g.mul(sigma.neg().add(1f)).add(1f))
                    .intoByteBuffer(slope, i * Float.BYTES, ORDER);
        }
        if (bound < end) {
            tail(gate, up, silu, slope, bound, end);
        }
    }

    /** The last, partial vector: the same loop over copies padded with zeros. */
    private static void tail(ByteBuffer gate, ByteBuffer up, ByteBuffer silu, ByteBuffer slope,
            int start, int end) {
        int bytes = SPECIES.vectorByteSize();
        ByteBuffer q = ByteBuffer.allocate(bytes).order(ORDER);
        ByteBuffer p = ByteBuffer.allocate(bytes).order(ORDER);
        derivatives(padded(gate, start, end), padded(up, start, end), q, p, 0,
                SPECIES.length());
        copyBack(q, silu, start, end);
        copyBack(p, slope, start, end);
    }

    /** Floats [start, end) of {@code from} in a buffer of one vector, zeros after them. */
    private static ByteBuffer padded(ByteBuffer from, int start, int end) {
        ByteBuffer copy = ByteBuffer.allocate(SPECIES.vectorByteSize()).order(ORDER);
        for (int i = start; i < end; i++) {
            copy.putFloat((i - start) * Float.BYTES, from.getFloat(i * Float.BYTES));
        }
        return copy;
    }

    /** The first end - start floats of {@code padded} into {@code into} at [start, end). */
    private static void copyBack(ByteBuffer padded, ByteBuffer into, int start, int end) {
        for (int i = start; i < end; i++) {
            into.putFloat(i * Float.BYTES, padded.getFloat((i - start) * Float.BYTES));
        }
    }
}
