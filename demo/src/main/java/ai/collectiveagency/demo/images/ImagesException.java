package ai.collectiveagency.demo.images;

/** Why images could not be built or pushed, said so that the user knows what to do next. */
final class ImagesException extends Exception {

    private static final long serialVersionUID = 1L;

    ImagesException(String message) {
        super(message);
    }
}
