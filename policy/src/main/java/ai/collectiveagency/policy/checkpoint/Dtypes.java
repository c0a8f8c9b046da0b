package ai.collectiveagency.policy.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Safetensors element types this library reads, all widened to float32. */
final class Dtypes {

    private Dtypes() {}

    static int bytes(Path file, String tensor, String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new ModelFolderException(file + ": tensor '" + tensor
                    + "' has dtype " + dtype + " (supported: F32, BF16, F16)");
        };
    }

    static float[] toFloats(Path file, String tensor, String dtype, ByteBuffer le, int count) {
        float[] out = new float[count];
        toFloats(file, tensor, dtype, le, out, 0, count);
        return out;
    }

    /** Widens {@code count} elements of {@code le} (from its position) into {@code out}. */
    static void toFloats(Path file, String tensor, String dtype, ByteBuffer le, float[] out,
            int offset, int count) {
        int at = le.position();
        switch (dtype) {
            case "F32" -> le.asFloatBuffer().get(out, offset, count);
            case "BF16" -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = Float.intBitsToFloat(
                            (le.getShort(at + 2 * i) & 0xffff) << 16);
                }
            }
            case "F16" -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = halfToFloat(le.getShort(at + 2 * i));
                }
            }
            default -> bytes(file, tensor, dtype);
        }
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
