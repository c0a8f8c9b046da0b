package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A body that is not JSON, or JSON of the wrong shape, as OpenAI's 400
 * {@code invalid_request_error}, naming the field where the path is known.
 */
public class JsonErrorMappers {

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return response(e);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return response(e);
    }

    private static Response response(JsonProcessingException e) {
        String param = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            param = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                            : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        String message = (param == null ? "We could not parse the JSON body of your request: "
                : "Invalid type or value for '" + param + "': ") + e.getOriginalMessage();
        return GenerationService.error(new ApiException(400, "invalid_request_error", message,
                param, param == null ? "invalid_json" : "invalid_type"));
    }
}
