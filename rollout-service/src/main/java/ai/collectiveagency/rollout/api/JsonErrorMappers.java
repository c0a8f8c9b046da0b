package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A body that is not JSON, or JSON of the wrong shape, as OpenAI's 400
 * {@code invalid_request_error}, naming the field where the path is known. Quarkus wraps a body
 * that does not parse in a {@link WebApplicationException}; other such exceptions keep their
 * own response.
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

    @ServerExceptionMapper
    public Response wrapped(WebApplicationException e) {
        return e.getCause() instanceof JsonProcessingException json ? response(json)
                : e.getResponse();
    }

    private static Response response(JsonProcessingException e) {
        String param = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            param = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                            : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        boolean syntax = e instanceof StreamReadException
                || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
        String message = (syntax ? "We could not parse the JSON body of your request: "
                : param == null ? "The JSON body of your request has the wrong shape: "
                : "Invalid type or value for '" + param + "': ") + e.getOriginalMessage();
        return GenerationService.error(new ApiException(400, "invalid_request_error", message,
                param, syntax ? "invalid_json" : "invalid_type"));
    }
}
