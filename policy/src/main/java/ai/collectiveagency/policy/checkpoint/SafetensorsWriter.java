package ai.collectiveagency.policy.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes float32 tensors as a {@code .safetensors} file that Hugging Face and PEFT read.
 *
 * <p>Tensors are written in name order so the same weights always give the same bytes (and the
 * same sha256).
 */
public final class SafetensorsWriter {

    /** One tensor to write: its shape and row-major values. */
    public record Tensor(long[] shape, float[] values) {

        /** The values of a float32 array (copied out of the engine). */
        public static Tensor of(String name, NDArray array) {
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("'" + name
                        + "' must be float32 to be saved, got " + array.getDataType());
            }
            return new Tensor(array.getShape().getShape(), array.toFloatArray());
        }

        public Tensor {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            if (size != values.length) {
                throw new IllegalArgumentException("shape holds " + size + " values, got "
                        + values.length);
            }
        }
    }

    private SafetensorsWriter() {}

    /** Writes {@code tensors} (name to tensor) and {@code metadata} to {@code path}. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            ObjectNode node = header.putObject(e.getKey());
            node.put("dtype", "F32");
            var shape = node.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 4L * e.getValue().values().length;
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the format aligns data to 8 bytes
        try (OutputStream out = Files.newOutputStream(path)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            out.write(length.putLong(padded).array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            for (Tensor t : sorted.values()) {
                ByteBuffer data = ByteBuffer.allocate(4 * t.values().length)
                        .order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(t.values());
                out.write(data.array());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
