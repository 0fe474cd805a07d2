package org.ankisync.core.framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A small streaming reader of {@code multipart/form-data} bodies (RFC 7578):
 * parts are visited in order, and each part's content is read as a stream, so
 * a large field never has to be held in memory. Only what the legacy sync
 * clients send is needed: the part name from {@code Content-Disposition};
 * other part headers are skipped.
 *
 * <p>Not thread-safe. Malformed input fails with {@link MalformedMultipartException}.
 */
final class MultipartReader {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    /** CRLF "--" boundary: what ends every part. */
    private final byte[] delimiter;

    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    /** True while positioned inside a part's content. */
    private boolean inPart;

    private boolean finished;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length + 2];
        // The first delimiter has no CRLF in front of it: pretend it had, and
        // treat everything before it as a preamble part to skip.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
        inPart = true;
    }

    /** Thrown for input that is not a well-formed multipart body. */
    static final class MalformedMultipartException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedMultipartException(String message) {
            super("invalid multipart: " + message);
        }
    }

    /** The boundary parameter of a {@code multipart/form-data} content type, or null. */
    static String boundaryOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String value = p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                // RFC 2046: 1 to 70 characters.
                return value.isEmpty() || value.length() > 70 ? null : value;
            }
        }
        return null;
    }

    /**
     * Moves to the next part (skipping what is left of the current one) and
     * returns its field name ({@code ""} if it has none), or null after the
     * closing delimiter.
     */
    String nextPart() throws IOException {
        if (finished) {
            return null;
        }
        if (inPart) {
            byte[] skip = new byte[8192];
            while (readContent(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
        // Just after a delimiter: "--" closes the body, otherwise padding and CRLF.
        ensure(2);
        if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        String first = readLine();
        if (!first.isBlank()) {
            throw new MalformedMultipartException("garbage after a boundary");
        }
        String name = "";
        int headerBytes = 0;
        while (true) {
            String line = readLine();
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("part headers too long");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                String found = dispositionName(line.substring(colon + 1));
                if (found != null) {
                    name = found;
                }
            }
        }
        inPart = true;
        return name;
    }

    /** Reads the current part's content; -1 at its end. */
    int readContent(byte[] b, int off, int len) throws IOException {
        if (!inPart) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        ensure(delimiter.length);
        int found = indexOfDelimiter();
        if (found == pos) {
            pos += delimiter.length;
            inPart = false;
            return -1;
        }
        int available;
        if (found >= 0) {
            available = found - pos;
        } else if (eof) {
            throw new MalformedMultipartException("body ends inside a part");
        } else {
            // Bytes that cannot be the start of a delimiter.
            available = lim - pos - (delimiter.length - 1);
        }
        int n = Math.min(len, available);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** The current part's content as text, refused when longer than {@code maxBytes}. */
    String readText(int maxBytes, String field) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        int n;
        while ((n = readContent(chunk, 0, chunk.length)) >= 0) {
            out.write(chunk, 0, n);
            if (out.size() > maxBytes) {
                throw new MalformedMultipartException("field " + field + " is too long");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The current part's content as a stream that ends with the part. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n;
                do {
                    n = read(one, 0, 1);
                } while (n == 0);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readContent(b, off, len);
            }
        };
    }

    private int indexOfDelimiter() {
        int last = lim - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            ensure(1);
            if (pos >= lim) {
                throw new MalformedMultipartException("body ends inside part headers");
            }
            byte c = buf[pos++];
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) (c & 0xff));
            if (line.length() > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("part header line too long");
            }
        }
    }

    /** Tries to have at least {@code n} unread bytes buffered (fewer only at end of input). */
    private void ensure(int n) throws IOException {
        if (lim - pos >= n || eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim - pos < n && !eof) {
            // Over the raw-body limit, LimitedInputStream's PayloadTooLargeException passes
            // through: 413 like an oversized v11 body (the official server answers 400 here).
            int read = in.read(buf, lim, buf.length - lim);
            if (read < 0) {
                eof = true;
            } else {
                lim += read;
            }
        }
    }

    /** The {@code name} parameter of a Content-Disposition value (header text decoded as Latin-1 bytes). */
    static String dispositionName(String value) {
        String v = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        int i = 0;
        int n = v.length();
        // Skip the disposition type.
        while (i < n && v.charAt(i) != ';') {
            i++;
        }
        while (i < n) {
            i++; // ';'
            while (i < n && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            int keyStart = i;
            while (i < n && v.charAt(i) != '=' && v.charAt(i) != ';') {
                i++;
            }
            String key = v.substring(keyStart, i).trim();
            String paramValue = "";
            if (i < n && v.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(v.charAt(i))) {
                    i++;
                }
                if (i < n && v.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (i < n && v.charAt(i) != '"') {
                        if (v.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        sb.append(v.charAt(i++));
                    }
                    i++; // closing quote
                    paramValue = sb.toString();
                    while (i < n && v.charAt(i) != ';') {
                        i++;
                    }
                } else {
                    int start = i;
                    while (i < n && v.charAt(i) != ';') {
                        i++;
                    }
                    paramValue = v.substring(start, i).trim();
                }
            }
            if (key.equalsIgnoreCase("name")) {
                return paramValue;
            }
        }
        return null;
    }
}
