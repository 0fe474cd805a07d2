package org.ankisync.core.framing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.ankisync.core.framing.LimitedInputStream.PayloadTooLargeException;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncException;

/**
 * Reads a request payload that must be one JSON object, with the statuses the
 * protocol uses: 413 past the size limit, 400 {@code invalid json} otherwise.
 * An empty payload counts as an empty object (methods without arguments).
 */
public final class JsonPayloads {
    private JsonPayloads() {
    }

    /**
     * @param maxBytes the largest payload read; longer ones get 413 without
     *                 reading further than one byte past the limit
     */
    public static JsonNode readObject(SyncRequest request, ObjectMapper json, long maxBytes) {
        byte[] bytes;
        try {
            bytes = request.payload().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (PayloadTooLargeException e) {
            throw new SyncException(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
        } catch (IOException e) {
            throw SyncException.badRequest("decoding request body: " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            throw new SyncException(HttpStatus.PAYLOAD_TOO_LARGE,
                    "request JSON longer than " + maxBytes + " bytes");
        }
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw SyncException.badRequest("invalid json: expected an object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw SyncException.badRequest("invalid json: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw SyncException.badRequest("invalid json: " + e.getMessage());
        }
    }
}
