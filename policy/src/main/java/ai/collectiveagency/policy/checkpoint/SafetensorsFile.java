package ai.collectiveagency.policy.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the raw data.
 *
 * <p>Written by hand rather than through DJL's NDList decoder because we need three things it does
 * not give: BF16/F16 widened to F32 in Java (BF16 arrays crash DJL 0.36's PyTorch engine), one
 * tensor at a time (so a sharded 7B checkpoint never sits in memory twice), and errors that name
 * the file and the tensor. Tensors are copied out of the mapping, never wrapped: a tensor over a
 * read-only mapping crashes on in-place ops.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** One tensor's entry in the header; {@code begin}/{@code end} are relative to the data. */
    public record TensorInfo(String dtype, long[] shape, long begin, long end) {

        /** Number of elements. */
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart,
            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens a file and parses its header. */
    public static SafetensorsFile open(Path path) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = SafetensorsHeader.checkLength(path, lengthBytes.flip().getLong(),
                    channel.size());
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            SafetensorsHeader parsed = SafetensorsHeader.parse(path, header.array(),
                    channel.size() - 8 - headerLength);
            return new SafetensorsFile(path, channel, 8 + headerLength, parsed.tensors(),
                    parsed.metadata());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ModelFolderException(path + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file this reads. */
    public Path path() {
        return path;
    }

    /** Every tensor in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The optional {@code __metadata__} string map. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** A tensor's values widened to float32, in row-major order. */
    public float[] readFloats(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new ModelFolderException(path + ": has no tensor '" + name + "'");
        }
        if (info.size() > Integer.MAX_VALUE) {
            throw new ModelFolderException(path + ": tensor '" + name + "' is too large ("
                    + info.size() + " elements)");
        }
        try {
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY,
                    dataStart + info.begin(), info.end() - info.begin());
            return Dtypes.toFloats(path, name, info.dtype(), bytes.order(ByteOrder.LITTLE_ENDIAN),
                    (int) info.size());
        } catch (IOException e) {
            throw new ModelFolderException(path + ": cannot read tensor '" + name + "' ("
                    + e.getMessage() + ")", e);
        }
    }

    /** A tensor as a float32 array owned by {@code manager}, named after its key. */
    public NDArray readArray(String name, NDManager manager) {
        float[] values = readFloats(name);
        NDArray array = manager.create(values, new Shape(tensors.get(name).shape()));
        array.setName(name);
        return array;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("file ends inside the header");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written; a failed close of a read-only channel loses nothing
            }
        }
    }
}
