package ai.collectiveagency.policy.scoring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where a slice's logits (rows, vocab), row-major float32, live while {@link SoftmaxRows} reads
 * and overwrites them: the engine's own memory, viewed ({@link Native}), or a Java array the
 * output head wrote ({@link Heap}).
 */
sealed interface LogitMemory permits LogitMemory.Native, LogitMemory.Heap {

    /** How many floats the logits are. */
    long size();

    FloatVector load(VectorSpecies<Float> species, int index);

    void store(FloatVector values, int index);

    float get(int index);

    void put(int index, float value);

    /** A native-order view of an engine array's memory. */
    record Native(ByteBuffer memory) implements LogitMemory {
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();

        @Override
        public long size() {
            return memory.capacity() / Float.BYTES;
        }

        @Override
        public FloatVector load(VectorSpecies<Float> species, int index) {
            return FloatVector.fromByteBuffer(species, memory, index * Float.BYTES, ORDER);
        }

        @Override
        public void store(FloatVector values, int index) {
            values.intoByteBuffer(memory, index * Float.BYTES, ORDER);
        }

        @Override
        public float get(int index) {
            return memory.getFloat(index * Float.BYTES);
        }

        @Override
        public void put(int index, float value) {
            memory.putFloat(index * Float.BYTES, value);
        }
    }

    /** The first {@code floats} of a Java array (reused across slices, so maybe longer). */
    record Heap(float[] array, int floats) implements LogitMemory {
        public Heap {
            if (floats > array.length) {
                throw new IllegalArgumentException(floats + " logits in " + array.length
                        + " floats");
            }
        }

        @Override
        public long size() {
            return floats;
        }

        @Override
        public FloatVector load(VectorSpecies<Float> species, int index) {
            return FloatVector.fromArray(species, array, index);
        }

        @Override
        public void store(FloatVector values, int index) {
            values.intoArray(array, index);
        }

        @Override
        public float get(int index) {
            return array[index];
        }

        @Override
        public void put(int index, float value) {
            array[index] = value;
        }
    }
}
