package ai.collectiveagency.policy.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDManager;

import java.nio.file.Path;

/**
 * The one place that starts DJL's PyTorch engine, always offline.
 *
 * <p>DJL would otherwise look for a newer native library on the network and ping an EC2 metadata
 * address at start-up. The native library ships in the {@code pytorch-native-cpu} jar on the class
 * path; these system properties make DJL use it and nothing else, so users export nothing.
 * Call {@link #manager()} (or {@link #start()}) before any other DJL call.
 */
public final class OfflineEngine {

    /** System property: PyTorch intra-op threads (default: DJL's, i.e. all cores). */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private static volatile Engine engine;

    private OfflineEngine() {}

    /** Starts the engine once (idempotent) and returns it. */
    public static Engine start() {
        Engine started = engine;
        if (started == null) {
            synchronized (OfflineEngine.class) {
                if (engine == null) {
                    setIfAbsent("ai.djl.offline", "true");
                    setIfAbsent("OPT_OUT_TRACKING", "true");
                    setIfAbsent("DJL_CACHE_DIR", defaultCacheDir());
                    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
                    engine = Engine.getEngine("PyTorch");
                }
                started = engine;
            }
        }
        return started;
    }

    /** The engine's intra-op threads now (starting it if need be). */
    public static int threads() {
        start();
        return JniUtils.getNumThreads();
    }

    /** A new root-level manager on the engine's default device. */
    public static NDManager manager() {
        return start().newBaseManager();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".djl.ai").toString();
    }
}
