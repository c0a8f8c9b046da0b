package ai.collectiveagency.policy.checkpoint;

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

/**
 * The two 16-bit safetensors dtypes, written independently of {@link Dtypes}: rounding a float32
 * to the nearest 16-bit value (ties to even), and a small writer of 16-bit safetensors files.
 */
enum HalfPrecision {

    BF16 {
        @Override
        short bits(float value) {
            int bits = Float.floatToRawIntBits(value);
            return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
        }

        @Override
        float rounded(float value) {
            return Float.intBitsToFloat((bits(value) & 0xffff) << 16);
        }
    },

    F16 {
        @Override
        short bits(float value) {
            int sign = (Float.floatToRawIntBits(value) >>> 16) & 0x8000;
            double magnitude = Math.abs((double) value);
            if (magnitude < 0x1p-14) { // subnormal: a multiple of 2^-24
                return (short) (sign | (int) Math.rint(Math.scalb(magnitude, 24)));
            }
            int exponent = Math.getExponent(magnitude);
            int mantissa = (int) Math.rint(Math.scalb(magnitude, 10 - exponent)); // [1024, 2048]
            return (short) (sign | (((exponent + 15) << 10) + mantissa - 1024));
        }

        @Override
        float rounded(float value) {
            double magnitude = Math.abs((double) value);
            int exponent = Math.max(Math.getExponent(magnitude), -14);
            double nearest = Math.scalb(Math.rint(Math.scalb(magnitude, 10 - exponent)),
                    exponent - 10);
            return (float) Math.copySign(nearest, value);
        }
    };

    /** The 16-bit pattern nearest to {@code value}. */
    abstract short bits(float value);

    /** The float32 value of the 16-bit number nearest to {@code value}, computed in doubles. */
    abstract float rounded(float value);

    /** Writes {@code tensors} (name to shape and float32 values) in this dtype. */
    void write(Path path, Map<String, SafetensorsWriter.Tensor> tensors) {
        ObjectNode header = new ObjectMapper().createObjectNode();
        long offset = 0;
        for (Map.Entry<String, SafetensorsWriter.Tensor> e : tensors.entrySet()) {
            ObjectNode node = header.putObject(e.getKey());
            node.put("dtype", name());
            var shape = node.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 2L * e.getValue().values().length;
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(json.length).array());
            out.write(json);
            for (SafetensorsWriter.Tensor t : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(2 * t.values().length)
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.values()) {
                    data.putShort(bits(v));
                }
                out.write(data.array());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
