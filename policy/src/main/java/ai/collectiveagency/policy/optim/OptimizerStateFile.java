package ai.collectiveagency.policy.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal safetensors writer and reader for float32 tensors, enough for the optimiser state.
 *
 * <p>Layout (safetensors): an 8-byte little-endian header length N, N bytes of JSON header
 * {@code {name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}} (offsets into the
 * data that follows, padded here with spaces to a multiple of 8), then the raw little-endian data.
 * Kept package-private so the checkpoint package's full reader can replace it.
 */
final class OptimizerStateFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String F32 = "F32";

    private OptimizerStateFile() {}

    /** Writes float32 tensors under their names, in the map's order. */
    static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            NDArray tensor = entry.getValue();
            if (tensor.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException(entry.getKey() + " must be float32 to be saved, "
                        + "got " + tensor.getDataType());
            }
            long bytes = tensor.size() * Float.BYTES;
            header.put(entry.getKey(), Map.of("dtype", F32, "shape", tensor.getShape().getShape(),
                    "data_offsets", List.of(offset, offset + bytes)));
            offset += bytes;
        }
        StringBuilder headerText = new StringBuilder(JSON.writeValueAsString(header));
        while (headerText.length() % 8 != 0) {
            headerText.append(' ');
        }
        byte[] headerBytes = headerText.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, littleEndian(Long.BYTES).putLong(headerBytes.length).flip());
            writeFully(channel, ByteBuffer.wrap(headerBytes));
            for (NDArray tensor : tensors.values()) {
                float[] values = tensor.toFloatArray();
                ByteBuffer data = littleEndian(values.length * Float.BYTES);
                data.asFloatBuffer().put(values);
                writeFully(channel, data);
            }
        }
    }

    /** Reads every tensor of {@code file} into {@code manager}, in the file's header order. */
    static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long headerLength = readFully(channel, 0, Long.BYTES).getLong();
            if (headerLength <= 0 || headerLength > channel.size() - Long.BYTES) {
                throw new IOException(file + ": corrupt safetensors header length " + headerLength);
            }
            ByteBuffer headerBytes = readFully(channel, Long.BYTES, (int) headerLength);
            JsonNode header = JSON.readTree(StandardCharsets.UTF_8.decode(headerBytes).toString());
            long dataStart = Long.BYTES + headerLength;
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : header.properties()) {
                if (!entry.getKey().equals("__metadata__")) {
                    tensors.put(entry.getKey(), readTensor(channel, dataStart, entry, manager));
                }
            }
            return tensors;
        }
    }

    private static NDArray readTensor(FileChannel channel, long dataStart,
            Map.Entry<String, JsonNode> entry, NDManager manager) throws IOException {
        JsonNode info = entry.getValue();
        if (!F32.equals(info.path("dtype").asText())) {
            throw new IOException(entry.getKey() + ": only F32 is supported, got " + info);
        }
        long[] dims = new long[info.path("shape").size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = info.path("shape").get(i).asLong();
        }
        Shape shape = new Shape(dims);
        long begin = info.path("data_offsets").path(0).asLong();
        long end = info.path("data_offsets").path(1).asLong();
        if (end - begin != shape.size() * Float.BYTES || dataStart + end > channel.size()) {
            throw new IOException(entry.getKey() + ": data_offsets do not fit shape " + shape);
        }
        ByteBuffer data = readFully(channel, dataStart + begin, (int) (end - begin));
        return manager.create(data.asFloatBuffer(), shape);
    }

    private static ByteBuffer littleEndian(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = littleEndian(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + position);
            }
        }
        return buffer.flip();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
