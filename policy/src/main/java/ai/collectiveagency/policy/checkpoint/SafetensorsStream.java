package ai.collectiveagency.policy.checkpoint;

import ai.collectiveagency.policy.checkpoint.SafetensorsFile.TensorInfo;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads chosen tensors of a {@code .safetensors} file from a stream, front to back, in one pass:
 * header, then each tensor's bytes as they come, widened to float32 a chunk at a time (so a
 * tensor never sits in memory twice as bytes and floats). With {@link VerifiedFolder#read} the
 * stream is the hashed one, so the tensors are built from exactly the bytes whose digest is
 * checked. Tensors not chosen are read past (through the digest), never kept.
 *
 * <pre>{@code
 * Map<String, NDArray> arrays = folder.read("model.safetensors", (in, size) ->
 *         SafetensorsStream.read(in, size, file, header -> wanted(header), manager));
 * }</pre>
 */
public final class SafetensorsStream {

    private static final int CHUNK = 1 << 20; // a multiple of every element size

    private SafetensorsStream() {}

    /**
     * Reads the tensors {@code choose} picks from the header.
     *
     * @param size the file's size in bytes
     * @param file the file, for messages
     * @param choose given every tensor of the header, the names to read (it may throw a
     *     {@link ModelFolderException} for a header that does not fit)
     * @param manager the owner of the arrays
     * @return the chosen tensors by name, as float32 arrays
     */
    public static Map<String, NDArray> read(InputStream in, long size, Path file,
            Function<Map<String, TensorInfo>, Collection<String>> choose, NDManager manager)
            throws IOException {
        byte[] lengthBytes = readExactly(in, 8, file, "the header length");
        long headerLength = SafetensorsHeader.checkLength(file,
                ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong(), size);
        byte[] json = readExactly(in, (int) headerLength, file, "the header");
        SafetensorsHeader header = SafetensorsHeader.parse(file, json, size - 8 - headerLength);
        List<String> byOffset = new ArrayList<>(choose.apply(header.tensors()));
        byOffset.sort(Comparator.comparingLong(name -> header.tensors().get(name).begin()));
        Map<String, NDArray> read = new HashMap<>();
        long position = 0;
        for (String name : byOffset) {
            TensorInfo info = header.tensors().get(name);
            if (info.begin() < position) {
                throw new ModelFolderException(file + ": tensor '" + name + "' overlaps the"
                        + " tensor before it (data_offsets from " + info.begin() + ")");
            }
            in.skipNBytes(info.begin() - position);
            read.put(name, array(in, file, name, info, manager));
            position = info.end();
        }
        return read;
    }

    private static NDArray array(InputStream in, Path file, String name, TensorInfo info,
            NDManager manager) throws IOException {
        if (info.size() > Integer.MAX_VALUE) {
            throw new ModelFolderException(file + ": tensor '" + name + "' is too large ("
                    + info.size() + " elements)");
        }
        int count = (int) info.size();
        int elementBytes = Dtypes.bytes(file, name, info.dtype());
        float[] values = new float[count];
        byte[] chunk = new byte[(int) Math.min(CHUNK, (long) count * elementBytes)];
        ByteBuffer le = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < count; ) {
            int elements = Math.min(chunk.length / elementBytes, count - done);
            int bytes = elements * elementBytes;
            if (in.readNBytes(chunk, 0, bytes) < bytes) {
                throw new ModelFolderException(file + ": ends inside tensor '" + name + "'");
            }
            Dtypes.toFloats(file, name, info.dtype(), le.clear(), values, done, elements);
            done += elements;
        }
        NDArray array = manager.create(values, new Shape(info.shape()));
        array.setName(name);
        return array;
    }

    private static byte[] readExactly(InputStream in, int n, Path file, String what)
            throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new ModelFolderException(file + ": ends inside " + what);
        }
        return bytes;
    }
}
