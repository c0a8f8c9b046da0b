package ai.collectiveagency.scoring.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One forward pass of a BERT-style ONNX encoder over a batch of token-id rows: the rows
 * right-padded into {@code input_ids} and {@code attention_mask} (and all-zero
 * {@code token_type_ids} when the graph takes them), one output read back. Shared by the reward
 * model and the sentence encoder, which differ only in what they read from the output.
 */
final class EncoderBatch {

    /** Reads the requested output, an ONNX Runtime value, into the caller's result. */
    interface Reader<R> {
        R read(Object output);
    }

    private EncoderBatch() {}

    /**
     * @param ids one row of token ids per text, at least one row
     * @param typeIds whether the graph has a {@code token_type_ids} input
     * @param output the name of the output to read
     * @throws IllegalStateException when ONNX Runtime fails
     */
    static <R> R run(OrtEnvironment environment, OrtSession session, long[][] ids,
            boolean typeIds, String output, Reader<R> reader) {
        int batch = ids.length;
        int length = Math.max(1, Arrays.stream(ids).mapToInt(row -> row.length).max().orElse(1));
        long[] inputIds = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 0, inputIds, b * length, ids[b].length);
            Arrays.fill(mask, b * length, b * length + ids[b].length, 1L);
        }
        long[] shape = {batch, length};
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds),
                    shape));
            feed.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask),
                    shape));
            if (typeIds) {
                feed.put("token_type_ids", OnnxTensor.createTensor(environment,
                        LongBuffer.wrap(new long[batch * length]), shape));
            }
            try (OrtSession.Result result = session.run(feed, Set.of(output))) {
                return reader.read(result.get(0).getValue());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch + ": "
                    + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}
