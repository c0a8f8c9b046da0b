package ai.collectiveagency.demo.images;

import java.nio.file.Path;

/**
 * One image to build: {@code collective-agency/<name>:<tag>} from {@code dockerfile} with the
 * build context {@code context} (the folder the Dockerfile's COPY sources are relative to).
 */
record ContainerImage(String name, String tag, Path dockerfile, Path context) {

    /** Every image's namespace; the Kubernetes manifests name the images with it. */
    static final String NAMESPACE = "collective-agency";

    /** {@code collective-agency/<name>:<tag>}, the name the image is built under. */
    String reference() {
        return NAMESPACE + "/" + name + ":" + tag;
    }

    /** {@code <registry>/collective-agency/<name>:<tag>}, the name it is pushed under. */
    String reference(String registry) {
        return registry + "/" + reference();
    }
}
