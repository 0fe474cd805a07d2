package org.ankisync.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An {@code application/x-www-form-urlencoded} body (the admin forms), size-capped. */
final class UrlForm {
    /** Far more than any admin form needs; a bigger body is refused before it is read in full. */
    static final int MAX_BYTES = 64 * 1024;

    private final Map<String, String> fields;

    private UrlForm(Map<String, String> fields) {
        this.fields = fields;
    }

    static UrlForm read(InputStream body) {
        return parse(new String(readCapped(body), StandardCharsets.UTF_8));
    }

    static UrlForm parse(String encoded) {
        Map<String, String> fields = new HashMap<>();
        if (!encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                fields.putIfAbsent(name, value);
            }
        }
        return new UrlForm(fields);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** A field that must be present and not empty. */
    String require(String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw AdminException.badRequest("the form field '" + name + "' is missing");
        }
        return value;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Reads a request body of at most {@link #MAX_BYTES}; a longer one is a 413. */
    static byte[] readCapped(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new AdminException(413, "request body larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw AdminException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest("malformed form encoding");
        }
    }
}
