package ai.collectiveagency.policy.checkpoint;

import ai.collectiveagency.policy.checkpoint.SafetensorsFile.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON header of a {@code .safetensors} file: each tensor's dtype, shape and byte range in
 * the data that follows, and the optional {@code __metadata__} strings. Shared by the random
 * access reader ({@link SafetensorsFile}) and the one-pass reader ({@link SafetensorsStream}).
 *
 * @param tensors every tensor, in header order
 * @param metadata the {@code __metadata__} map
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {

    /** The largest header read (the format's own readers refuse 100 MB too). */
    static final long MAX_HEADER_BYTES = 100_000_000;

    /**
     * Checks the 8-byte header length of a file of {@code fileSize} bytes.
     *
     * @return the length
     * @throws ModelFolderException when it cannot be the header of such a file
     */
    static long checkLength(Path path, long headerLength, long fileSize) {
        if (headerLength <= 0 || headerLength > Math.min(fileSize - 8, MAX_HEADER_BYTES)) {
            throw new ModelFolderException(path + ": not a safetensors file (header length "
                    + headerLength + ")");
        }
        return headerLength;
    }

    /**
     * Parses the header's JSON.
     *
     * @param dataSize bytes after the header: every tensor's range must lie within them and fit
     *     its shape and dtype
     */
    static SafetensorsHeader parse(Path path, byte[] json, long dataSize) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new ModelFolderException(path + ": cannot read the header (" + e.getMessage()
                    + ")", e);
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(
                        m -> metadata.put(m.getKey(), m.getValue().asText()));
            } else {
                tensors.put(e.getKey(), info(path, e.getKey(), e.getValue(), dataSize));
            }
        }
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo info(Path path, String name, JsonNode node, long dataSize) {
        JsonNode shapeNode = node.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = node.path("data_offsets").path(0).asLong(-1);
        long end = node.path("data_offsets").path(1).asLong(-1);
        TensorInfo info = new TensorInfo(node.path("dtype").asText(), shape, begin, end);
        long expectedBytes = info.size() * Dtypes.bytes(path, name, info.dtype());
        if (begin < 0 || end > dataSize || end - begin != expectedBytes) {
            throw new ModelFolderException(path + ": tensor '" + name + "' has data_offsets ["
                    + begin + ", " + end + "] that do not fit its shape or the file");
        }
        return info;
    }
}
