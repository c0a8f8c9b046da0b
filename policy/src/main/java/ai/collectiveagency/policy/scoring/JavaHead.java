package ai.collectiveagency.policy.scoring;

import ai.collectiveagency.policy.decode.PackedMatrix;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.TransposedProduct;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The output head's products of a training slice in Java ({@link HeadProducts#JAVA}), with the
 * decoder's panel kernels ({@link PanelMatmul}):
 *
 * <pre>
 *   logits (n, V) = X·Eᵀ      X (n, D) final hidden states, E (V, D) the head
 *   dX     (n, D) = G·E       G (n, V) the loss's gradient of the logits
 *   dE     (V, D) = Gᵀ·X      when the head is trained ({@link TransposedProduct})
 * </pre>
 *
 * A workspace, kept from pass to pass: {@link #load} packs E as it is at the start of each pass,
 * as (V, D) for the logits and transposed, (D, V), for dX (2 x 64 MB for the 40M bench model),
 * straight from the engine's memory into the same panels each time, and the slices' logits go
 * into one array. Allocating these per pass grew the bench's peak RSS by 610 MB. Repacking every
 * pass keeps a trained head's copies current. A frozen head (LoRA's) whose bytes have the
 * CRC-32C of those packed last is not packed again: for the bench model the checksum takes about
 * 2 ms, the packing took 31 ms of a 1.24 s LoRA step (Zen 5, 2 cores). Stale panels would take a
 * frozen head written in place to bytes of the same checksum (a chance of 2^-32 a change), where
 * no writer of frozen weights exists in this code base.
 * Not thread-safe.
 */
final class JavaHead {

    /** Scored positions a pass needs for the Java head: below, packing E would not pay. */
    static final int MIN_ROWS = 512;

    private final PanelMatmul matmul = new PanelMatmul(ParallelRange.shared());
    private final TransposedProduct headGradient = new TransposedProduct(ParallelRange.shared());
    private PackedMatrix head;
    private PackedMatrix transposed;
    private long packedChecksum = -1; // CRC-32C of the bytes packed last; -1 for none
    private int packs; // how many times the head was packed
    private float[] logits = new float[0];

    /**
     * Packs {@code weights} (V, D), a float32 engine array, as they are now, unless they are what
     * is packed already.
     */
    void load(NDArray weights) {
        int vocab = Math.toIntExact(weights.getShape().get(0));
        int hidden = Math.toIntExact(weights.getShape().get(1));
        if (head == null || head.rows() != vocab || head.columns() != hidden) {
            head = null; // the old panels go before the new ones are allocated
            transposed = null;
            packedChecksum = -1;
            head = new PackedMatrix(new float[PackedMatrix.floats(vocab, hidden)], vocab, hidden);
            transposed = new PackedMatrix(new float[PackedMatrix.floats(hidden, vocab)], hidden,
                    vocab);
        }
        Optional<ByteBuffer> view = NativeFloats.view(weights);
        // a trained head changes every step: packed each pass, without a checksum
        long checksum = weights.hasGradient() ? -1 : view.map(JavaHead::checksum).orElse(-1L);
        if (checksum >= 0 && checksum == packedChecksum) {
            return;
        }
        packedChecksum = -1; // until both packs are done
        FloatBuffer memory = view.map(ByteBuffer::asFloatBuffer)
                .orElseGet(() -> FloatBuffer.wrap(NativeFloats.copy(weights,
                        new float[vocab * hidden])));
        PackedMatrix.pack(memory, vocab, hidden, head.data());
        PackedMatrix.packTransposed(memory, vocab, hidden, transposed.data());
        packedChecksum = checksum;
        packs++;
    }

    private static long checksum(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().clear());
        return crc.getValue();
    }

    /** How many times {@link #load} packed the head. */
    int packs() {
        return packs;
    }

    int vocab() {
        return head.rows();
    }

    int hidden() {
        return head.columns();
    }

    /** An array of at least {@code floats} for a slice's logits, the same one while it fits. */
    float[] logitBuffer(int floats) {
        if (logits.length < floats) {
            logits = null;
            logits = new float[floats];
        }
        return logits;
    }

    /** Fills the first rows x V floats of {@code into} with x (rows, D) · Eᵀ. */
    void logits(float[] x, int rows, float[] into) {
        matmul.multiply(x, rows, head, null, into);
    }

    /** Fills the first rows x D floats of {@code into} with g (rows, V) · E. */
    void inputGradient(float[] g, int rows, float[] into) {
        matmul.multiply(g, rows, transposed, null, into);
    }

    /**
     * Writes gᵀ·x (V, D) into {@code into}, the engine's memory of a (V, D) float32 array, or
     * adds it there with {@code accumulate}; g is (rows, V) and x (rows, D).
     */
    void weightGradient(float[] g, float[] x, int rows, ByteBuffer into, boolean accumulate) {
        headGradient.multiply(g, x, rows, vocab(), hidden(), into, accumulate);
    }
}
