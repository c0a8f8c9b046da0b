package ai.collectiveagency.demo.images;

import java.util.List;

/** Which build of a service an image holds; each has its Dockerfile in src/main/docker. */
enum Variant {

    /** {@code Dockerfile.jvm}, tagged {@code <version>}: the default build (PyTorch for CPUs). */
    JVM("Dockerfile.jvm", "", List.of()),

    /**
     * {@code Dockerfile.cuda}, tagged {@code <version>-cuda}: packaged with the parent pom's
     * {@code cuda} profile (PyTorch for CUDA).
     */
    CUDA("Dockerfile.cuda", "-cuda", List.of("-Pcuda"));

    private final String dockerfile;
    private final String tagSuffix;
    private final List<String> mavenArguments;

    Variant(String dockerfile, String tagSuffix, List<String> mavenArguments) {
        this.dockerfile = dockerfile;
        this.tagSuffix = tagSuffix;
        this.mavenArguments = mavenArguments;
    }

    /** The Dockerfile's name in {@code src/main/docker}. */
    String dockerfile() {
        return dockerfile;
    }

    /** What the image's tag adds to the version. */
    String tagSuffix() {
        return tagSuffix;
    }

    /** What {@code mvn package} needs to make this build. */
    List<String> mavenArguments() {
        return mavenArguments;
    }
}
