package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a request body into its record, or refuses it with OpenAI's 400: {@code invalid_json}
 * for a body that is not JSON, {@code invalid_type} naming the field for JSON of the wrong shape.
 * Jackson's own messages quote the offending input, so they are never passed on: a message
 * names the field and the expected type, or where the syntax broke (line and column).
 */
final class JsonBodies {

    private JsonBodies() {
    }

    static <T> T parse(ObjectMapper mapper, Buffer body, Class<T> type) {
        if (body == null || body.length() == 0) {
            throw ApiException.emptyBody();
        }
        try {
            T value = mapper.readValue(body.getBytes(), type);
            if (value == null) { // the body was the JSON literal null
                throw ApiException.emptyBody();
            }
            return value;
        } catch (JsonMappingException e) {
            throw mapping(e);
        } catch (InputCoercionException e) {
            throw new ApiException(400, "invalid_request_error", "A number in the JSON body of "
                    + "your request is out of range", null, "invalid_type");
        } catch (StreamReadException e) {
            throw syntax(e.getLocation());
        } catch (IOException e) {
            throw syntax(null);
        }
    }

    private static ApiException mapping(JsonMappingException e) {
        boolean brokenSyntax = e.getCause() instanceof StreamReadException
                && !(e.getCause() instanceof InputCoercionException);
        if (brokenSyntax || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
            return syntax(e.getLocation());
        }
        String param = e.getPath().isEmpty() ? null : e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                        : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (param == null) {
            return new ApiException(400, "invalid_request_error", "The JSON body of your "
                    + "request has the wrong shape: it must be an object", null, "invalid_type");
        }
        String expected = e instanceof MismatchedInputException mismatch
                && mismatch.getTargetType() != null ? " (expected " + kind(mismatch.getTargetType())
                + ")" : e.getCause() instanceof InputCoercionException ? " (out of range)" : "";
        return new ApiException(400, "invalid_request_error", "Invalid type or value for '"
                + param + "'" + expected, param, "invalid_type");
    }

    private static ApiException syntax(JsonLocation at) {
        String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr()
                + ", column " + at.getColumnNr() + ")";
        return new ApiException(400, "invalid_request_error", "We could not parse the JSON body "
                + "of your request" + where + ". The OpenAI API expects a JSON payload.", null,
                "invalid_json");
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class
                || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "another type";
    }
}
