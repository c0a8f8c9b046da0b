package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The packed-panel Vector API matmul against a plain triple loop, for awkward shapes, with both
 * tilings and both kernel families whatever this machine's vector width and vendor (the 8-row
 * kernel is correct, if slow, on AVX2).
 */
class PanelMatmulTest {

    static Stream<Arguments> shapes() {
        return Stream.of(PanelStreams.values()).flatMap(streams -> Stream.of(PanelTiling.values())
                .flatMap(tiling -> shapesFor(tiling, streams)));
    }

    private static Stream<Arguments> shapesFor(PanelTiling tiling, PanelStreams streams) {
        return baseShapes().map(a -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], a.get()[3],
                tiling, streams));
    }

    private static Stream<Arguments> baseShapes() {
        Stream<Arguments> batches = IntStream.rangeClosed(1, 17)
                .mapToObj(b -> Arguments.of(b, 37, 7, 1)); // K not a multiple of the lanes
        // every batch up to 33 (8-row blocks plus each 4/2/1 remainder) over two whole panels
        // and a partial third, split over two threads
        Stream<Arguments> blocks = IntStream.rangeClosed(1, 33)
                .mapToObj(b -> Arguments.of(b, 19, 2 * PackedMatrix.WIDTH + 5, 2));
        Stream<Arguments> others = Stream.of(
                Arguments.of(1, 512, 1, 2), Arguments.of(3, 5, 1, 2), Arguments.of(16, 64, 96, 2),
                Arguments.of(8, 1376, 13, 2), Arguments.of(17, 129, 100, 3),
                Arguments.of(5, 1, 4, 2), Arguments.of(12, 200, 31, 1),
                Arguments.of(4, 64, PackedMatrix.WIDTH * 3, 2), // whole panels only
                Arguments.of(24, 64, PackedMatrix.WIDTH * 3, 2));
        return Stream.concat(Stream.concat(batches, blocks), others);
    }

    @ParameterizedTest(name = "B={0} K={1} N={2} threads={3} {4} {5}")
    @MethodSource("shapes")
    void matchesTheTripleLoop(int batch, int k, int n, int threads, PanelTiling tiling,
            PanelStreams streams) {
        SplittableRandom random = new SplittableRandom(batch * 1000L + k * 10L + n);
        float[] x = randoms(random, batch * k);
        float[] w = randoms(random, n * k);
        float[] bias = randoms(random, n);
        float[] y = new float[batch * n];

        new PanelMatmul(new ParallelRange(threads), tiling, streams)
                .multiply(x, batch, PackedMatrix.pack(w, n, k), bias, y);

        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                double expected = bias[j];
                double magnitude = Math.abs(bias[j]);
                for (int i = 0; i < k; i++) {
                    expected += (double) x[b * k + i] * w[j * k + i];
                    magnitude += Math.abs((double) x[b * k + i] * w[j * k + i]);
                }
                assertThat((double) y[b * n + j]).as("y[%d][%d]", b, j)
                        .isCloseTo(expected, within(1e-5 * magnitude));
            }
        }
    }

    @ParameterizedTest(name = "B={0} K={1} N={2} threads={3} {4} {5}")
    @MethodSource("shapes")
    void withoutBiasAddsNothing(int batch, int k, int n, int threads, PanelTiling tiling,
            PanelStreams streams) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = randoms(random, batch * k);
        float[] w = randoms(random, n * k);
        float[] zeros = new float[n];
        float[] withZeroBias = new float[batch * n];
        float[] withoutBias = new float[batch * n];
        PanelMatmul matmul = new PanelMatmul(new ParallelRange(threads), tiling, streams);
        PackedMatrix packed = PackedMatrix.pack(w, n, k);

        matmul.multiply(x, batch, packed, zeros, withZeroBias);
        matmul.multiply(x, batch, packed, null, withoutBias);

        assertThat(withoutBias).containsExactly(withZeroBias);
    }

    @ParameterizedTest(name = "B={0} K={1} N={2}")
    @MethodSource("baseShapes")
    void packedRowsReadBackTheMatrix(int batch, int k, int n, int threads) {
        float[] w = randoms(new SplittableRandom(n), n * k);
        PackedMatrix packed = PackedMatrix.pack(w, n, k);
        float[] row = new float[k];

        for (int j = 0; j < n; j++) {
            packed.row(j, row, 0);
            assertThat(row).containsExactly(java.util.Arrays.copyOfRange(w, j * k, j * k + k));
        }
    }

    @ParameterizedTest(name = "B={0} K={1} N={2}")
    @MethodSource("baseShapes")
    void aTransposedPackIsThePackOfTheTranspose(int batch, int k, int n, int threads) {
        float[] w = randoms(new SplittableRandom(n + k), n * k);
        float[] transposed = new float[k * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < k; i++) {
                transposed[i * n + j] = w[j * k + i];
            }
        }

        PackedMatrix packed = PackedMatrix.packTransposed(w, n, k);

        assertThat(packed.rows()).isEqualTo(k);
        assertThat(packed.columns()).isEqualTo(n);
        assertThat(packed.data()).containsExactly(PackedMatrix.pack(transposed, k, n).data());
    }

    @ParameterizedTest(name = "K={0} {1}")
    // the two-stream kernels add an odd K's last k apart from the pairs
    @CsvSource({"96, TWO", "97, TWO", "96, ONE", "97, ONE"})
    void bothTilingsGiveTheSameRows(int k, PanelStreams streams) {
        // the 8-row kernel sums each output in the same k order as the 4-row one: bit-equal
        SplittableRandom random = new SplittableRandom(3);
        int batch = 29;
        int n = 3 * PackedMatrix.WIDTH + 11;
        float[] x = randoms(random, batch * k);
        PackedMatrix w = PackedMatrix.pack(randoms(random, n * k), n, k);
        float[] four = new float[batch * n];
        float[] eight = new float[batch * n];

        new PanelMatmul(new ParallelRange(1), PanelTiling.FOUR_ROWS, streams).multiply(x, batch,
                w, null, four);
        new PanelMatmul(new ParallelRange(2), PanelTiling.EIGHT_ROWS, streams).multiply(x, batch,
                w, null, eight);

        assertThat(eight).containsExactly(four);
    }

    private static float[] randoms(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
