package ai.collectiveagency.policy.engine;

import java.util.List;

/**
 * The JVM flags of every process that holds a model: the Vector API module the Java kernels
 * use, the heap on transparent huge pages (a decode step streams the weights from memory;
 * README, Speed) and the JIT's trap limit ({@link JitTrapLimit}). Processes launched from Java
 * take this list; {@code ./pipeline}'s {@code model_jvm} is its copy for the shell, checked by
 * a test, and the images pass the module on their command line and the rest in their default
 * {@code JDK_JAVA_OPTIONS}.
 */
public final class ModelJvmFlags {

    /** In the order {@code ./pipeline} gives them. */
    public static final List<String> FLAGS = List.of("--add-modules", "jdk.incubator.vector",
            "-XX:+UseTransparentHugePages", JitTrapLimit.FLAG);

    private ModelJvmFlags() {}
}
