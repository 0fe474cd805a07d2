package org.ankisync.e2e.hostile;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.ankisync.e2e.media.HostileZips;
import org.ankisync.media.Zips;

/**
 * The hostile-input corpus: malformed requests, each with a name, enumerated
 * as cases x routes x framings. Built from the keys of a logged-in user, so the
 * requests get past authentication to the parsers and the methods behind it.
 */
final class HostileCorpus {
    static final List<String> SYNC_ROUTES = List.of(
            "hostKey",
            "meta",
            "start",
            "applyGraves",
            "applyChanges",
            "chunk",
            "applyChunk",
            "sanityCheck2",
            "finish",
            "abort",
            "upload",
            "download");
    static final List<String> MEDIA_ROUTES =
            List.of("begin", "mediaChanges", "uploadChanges", "downloadFiles", "mediaSanity");
    static final String BOUNDARY = "Anki-sync-boundary";
    /** Routes that ignore what a well-formed JSON body holds: odd but valid JSON may get 200 there. */
    static final List<String> BODY_IGNORED = List.of("sync/abort", "sync/download", "sync/upload");
    /** Texts {@code sync/upload} answers with 200 (errors-and-limits.md section 3). */
    static final List<String> UPLOAD_TEXTS = List.of(
            "OK",
            "collection exceeds size limit",
            "Your upload was corrupt. Please use Check Database, or restore from backup.");

    /** What a case must get. */
    enum Expect {
        /** A 4xx with an explanatory body (sync/upload: its 200 refusal text instead). */
        CLIENT_ERROR,
        /** Anything but a 5xx: valid-but-odd input that a route may accept. */
        NOT_5XX
    }

    /** How a case is sent. */
    enum Transport {
        HTTP_CLIENT,
        /** Bytes on a raw socket, then the write side is shut (for what HttpClient will not send). */
        SOCKET
    }

    /** One request of the corpus. */
    record Case(
            String name,
            String route,
            String framing,
            String method,
            Map<String, String> headers,
            byte[] body,
            Expect expect,
            Transport transport,
            byte[] raw) {
        String key() {
            return route + " [" + framing + "]";
        }
    }

    private final String hostKey;
    private final String otherUsersFile;
    private final List<Case> cases = new ArrayList<>();
    private final Random random = new Random(20261126);

    HostileCorpus(String hostKey, String otherUsersFile) {
        this.hostKey = hostKey;
        this.otherUsersFile = otherUsersFile;
    }

    static List<String> allRoutes() {
        List<String> routes = new ArrayList<>();
        SYNC_ROUTES.forEach(r -> routes.add("sync/" + r));
        MEDIA_ROUTES.forEach(r -> routes.add("msync/" + r));
        return routes;
    }

    List<Case> build() {
        Map<String, byte[]> payloads = payloads();
        for (String route : allRoutes()) {
            // --- v11: broken framing
            byte[] goodZstd = Zstd.compress(("{\"v\":11,\"cv\":\"x\",\"pad\":\"" + "y".repeat(20_000) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            v11(route, "zstd: random bytes", header(11), noise(64), Expect.CLIENT_ERROR);
            v11(
                    route,
                    "zstd: truncated frame",
                    header(11),
                    Arrays.copyOf(goodZstd, goodZstd.length / 2),
                    Expect.CLIENT_ERROR);
            byte[] badMagic = goodZstd.clone();
            badMagic[0] ^= 0x55;
            v11(route, "zstd: bad magic", header(11), badMagic, Expect.CLIENT_ERROR);
            v11(route, "zstd: gzip body instead", header(11), gzip(payloads.get("invalid JSON")), Expect.CLIENT_ERROR);
            // --- v11: broken header
            v11(route, "header: not JSON", "{v:11", Zstd.compress(new byte[0]), Expect.CLIENT_ERROR);
            v11(route, "header: version 7", header(7), Zstd.compress(new byte[0]), Expect.CLIENT_ERROR);
            v11(
                    route,
                    "header: huge version",
                    header(11).replace("\"v\":11", "\"v\":1" + "0".repeat(400)),
                    Zstd.compress(new byte[0]),
                    Expect.CLIENT_ERROR);
            v11(
                    route,
                    "header: key not a string",
                    header(11).replace("\"k\":\"" + hostKey + "\"", "\"k\":[1]"),
                    Zstd.compress(new byte[0]),
                    Expect.CLIENT_ERROR);
            v11(
                    route,
                    "header: deeply nested",
                    "[".repeat(3000) + "]".repeat(3000),
                    Zstd.compress(new byte[0]),
                    Expect.CLIENT_ERROR);
            v11(
                    route,
                    "header: 5000 characters",
                    header(11).replace("\"c\":\"", "\"c\":\"" + "c".repeat(5000)),
                    Zstd.compress(new byte[0]),
                    Expect.CLIENT_ERROR);
            v11(
                    route,
                    "header: invalid UTF-8 bytes",
                    "{\"v\":11,\"k\":\"\u00ff\u00fe\",\"c\":\"x\",\"s\":\"x\"}",
                    Zstd.compress(new byte[0]),
                    Expect.CLIENT_ERROR);
            // --- legacy: broken framing
            legacy(
                    route,
                    "gzip flag but plain data",
                    form("1", payloads.get("invalid JSON")),
                    contentType(),
                    Expect.CLIENT_ERROR);
            byte[] zipped = gzip(payloads.get("wrong types"));
            legacy(
                    route,
                    "gzip: truncated",
                    form("1", Arrays.copyOf(zipped, zipped.length / 2)),
                    contentType(),
                    Expect.CLIENT_ERROR);
            legacy(
                    route,
                    "multipart: no boundary",
                    form("0", payloads.get("wrong types")),
                    "multipart/form-data",
                    Expect.CLIENT_ERROR);
            legacy(
                    route,
                    "multipart: not multipart",
                    payloads.get("wrong types"),
                    "application/json",
                    Expect.CLIENT_ERROR);
            byte[] full = form("0", payloads.get("wrong types"));
            legacy(
                    route,
                    "multipart: truncated",
                    Arrays.copyOf(full, full.length - 30),
                    contentType(),
                    Expect.CLIENT_ERROR);
            legacy(
                    route,
                    "multipart: garbage after boundary",
                    ("--" + BOUNDARY + "garbage\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8),
                    contentType(),
                    Expect.CLIENT_ERROR);
            legacy(
                    route,
                    "multipart: part header 20 KB",
                    ("--" + BOUNDARY + "\r\nX-Junk: " + "j".repeat(20_000) + "\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n")
                            .getBytes(StandardCharsets.UTF_8),
                    contentType(),
                    Expect.CLIENT_ERROR);
            legacy(
                    route,
                    "multipart: data before k",
                    formDataFirst(payloads.get("wrong types")),
                    contentType(),
                    Expect.NOT_5XX);
            // --- both framings: the payload kinds
            for (Map.Entry<String, byte[]> payload : payloads.entrySet()) {
                Expect expect = expectFor(payload.getKey(), route);
                v11(route, payload.getKey(), header(11), Zstd.compress(payload.getValue()), expect);
                legacy(route, payload.getKey(), form("0", payload.getValue()), contentType(), expect);
                if (payload.getValue().length < 100_000) {
                    legacy(
                            route,
                            payload.getKey() + " (gzip)",
                            form("1", gzip(payload.getValue())),
                            contentType(),
                            expect);
                }
            }
            // --- wrong and unknown HTTP methods
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "PROPFIND")) {
                if (route.equals("msync/begin") && method.equals("GET")) {
                    continue;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("anki-sync", header(11));
                cases.add(new Case(
                        "HTTP method " + method,
                        route,
                        "v11",
                        method,
                        headers,
                        Zstd.compress("{}".getBytes(StandardCharsets.UTF_8)),
                        Expect.CLIENT_ERROR,
                        method.equals("FOO") || method.equals("PROPFIND") || method.equals("TRACE")
                                ? Transport.SOCKET
                                : Transport.HTTP_CLIENT,
                        null));
            }
            // --- raw socket: what HttpClient will not send
            socketCases(route);
        }
        unknownRoutes();
        mediaBeginQueries();
        return cases;
    }

    /** Bodies that both framings carry; the name says what is wrong with them. */
    private Map<String, byte[]> payloads() {
        Map<String, byte[]> p = new LinkedHashMap<>();
        p.put(
                "invalid UTF-8",
                bytes(
                        "{\"v\":11,\"cv\":\"\u00ff\u00fe\",\"u\":\"\u00c3\",\"files\":[\"\u00ff\"]}",
                        StandardCharsets.ISO_8859_1));
        p.put("invalid JSON", utf8("{\"v\":11,\"cv\":"));
        p.put("JSON not an object", utf8("[1,2,3]"));
        p.put("JSON trailing garbage", utf8("{\"v\":11}}}}garbage"));
        p.put(
                "wrong types",
                utf8("{\"v\":[11],\"cv\":11,\"minUsn\":\"x\",\"lnewer\":\"yes\",\"graves\":5,"
                        + "\"chunk\":\"x\",\"changes\":[],\"client\":{},\"lastUsn\":\"0\",\"files\":\"a\",\"local\":\"1\","
                        + "\"u\":1,\"p\":[]}"));
        p.put(
                "huge numbers",
                utf8("{\"v\":1e999,\"cv\":\"x\",\"minUsn\":123456789012345678901234567890,"
                        + "\"lnewer\":false,\"lastUsn\":1e400,\"local\":99999999999999999999999999,"
                        + "\"chunk\":{\"cards\":[1e300],\"notes\":[-99999999999999999999999],\"decks\":[]},"
                        + "\"client\":[[1e99,0,0],1,1,1,1,1,1,1],\"u\":\"x\",\"p\":\"y\"}"));
        p.put("number of 5000 digits", utf8("{\"v\":" + "9".repeat(5000) + ",\"lastUsn\":" + "9".repeat(5000) + "}"));
        p.put("deeply nested arrays", utf8("[".repeat(100_000) + "]".repeat(100_000)));
        p.put("deeply nested objects", utf8("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)));
        p.put("over the limit (4 MiB)", overLimit());
        p.put("zip bomb (deflate, 300 MiB)", HostileZips.deflateBomb(300));
        p.put("zip member declaring 4 GiB", HostileZips.declaredHuge(0xFFFF_FFF0L));
        p.put("zip with 5000 members", HostileZips.manyEntries(5000));
        for (String escape : List.of(
                "../../hostile-escape.txt",
                "/tmp/ankisync-hostile-abs.txt",
                "..\\..\\hostile-escape.txt",
                "sub/../../../hostile-escape.txt",
                "..",
                "C:\\hostile-escape.txt")) {
            p.put(
                    "media name escaping: " + escape,
                    Zips.upload("[[" + quote(escape) + ",\"0\"]]", Map.of("0", utf8("escaped"))));
        }
        p.put(
                "zip member name escaping",
                Zips.upload(
                        "[[\"fine.txt\",\"../../hostile-member.txt\"]]",
                        Map.of("../../hostile-member.txt", utf8("escaped"))));
        p.put(
                "download names escaping",
                utf8("{\"files\":[\"../collection.anki2\",\"../../bob/collection.anki2\","
                        + "\"/etc/passwd\",\"..\\\\media.db\",\"../media.db\"]}"));
        p.put("another user's media file", utf8("{\"files\":[" + quote(otherUsersFile) + "]}"));
        p.put(
                "NUL and control characters",
                utf8(
                        "{\"v\":\"\\u0000\",\"cv\":\"\\u0000\\u001b[2J\","
                                + "\"u\":\"../bob\\u0000\",\"p\":\"\\u0000\",\"files\":[\"\\u0000\"],\"lastUsn\":0,\"local\":0}"));
        p.put("empty body", new byte[0]);
        return p;
    }

    /**
     * Broken syntax, zips and oversized bodies are refused on every route;
     * wrong types and huge numbers wherever the route reads the fields; names
     * of files that are not the user's by downloadFiles; an empty body or odd
     * strings may be accepted.
     */
    private static Expect expectFor(String payload, String route) {
        if (route.equals("msync/uploadChanges") && !payload.equals("zip member name escaping")) {
            return Expect.CLIENT_ERROR; // not a zip, or a hostile one
        }
        if (payload.equals("empty body") || payload.startsWith("NUL")) {
            return Expect.NOT_5XX;
        }
        if (payload.equals("zip member name escaping")) {
            // member names are only keys into _meta; the file is stored as fine.txt: odd but valid
            return Expect.NOT_5XX;
        }
        if (payload.startsWith("download names") || payload.startsWith("another user")) {
            return route.equals("msync/downloadFiles") ? Expect.CLIENT_ERROR : Expect.NOT_5XX;
        }
        if (payload.equals("wrong types") || payload.equals("huge numbers")) {
            return BODY_IGNORED.contains(route) ? Expect.NOT_5XX : Expect.CLIENT_ERROR;
        }
        return Expect.CLIENT_ERROR;
    }

    private void socketCases(String route) {
        byte[] body = Zstd.compress(utf8("{\"v\":11,\"cv\":\"x\",\"minUsn\":0,\"lnewer\":false,\"lastUsn\":0}"));
        String head = "POST /" + route + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/octet-stream\r\n";
        String sync = "anki-sync: " + header(11) + "\r\n";
        socket(
                route,
                "giant anki-sync header (200 KB)",
                utf8(head + "anki-sync: {\"v\":11,\"k\":\"" + hostKey
                        + "\",\"c\":\"" + "c".repeat(200_000) + "\",\"s\":\"x\"}\r\nContent-Length: " + body.length
                        + "\r\n\r\n"),
                body);
        socket(
                route,
                "giant anki-sync header (20 KB)",
                utf8(head + "anki-sync: {\"v\":11,\"k\":\"" + hostKey
                        + "\",\"c\":\"" + "c".repeat(20_000) + "\",\"s\":\"x\"}\r\nContent-Length: " + body.length
                        + "\r\n\r\n"),
                body);
        socket(
                route,
                "Content-Length larger than the body",
                utf8(head + sync + "Content-Length: " + (body.length + 5000) + "\r\n\r\n"),
                body);
        socket(
                route,
                "Content-Length smaller than the body",
                utf8(head + sync + "Content-Length: " + (body.length / 2) + "\r\n\r\n"),
                body);
        socket(
                route,
                "truncated chunked body",
                utf8(head + sync + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length + 100)
                        + "\r\n"),
                body);
        socket(route, "chunk size not hex", utf8(head + sync + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"), body);
        socket(
                route,
                "legacy: Content-Length larger than the form",
                utf8(head.replace("application/octet-stream", contentType()) + "Content-Length: 100000\r\n\r\n"),
                form("0", utf8("{}")));
    }

    private void unknownRoutes() {
        for (String path : List.of(
                "sync/nonsense",
                "msync/nonsense",
                "sync/META",
                "sync/meta/extra",
                "sync/",
                "msync/",
                "sync/hostKey%00",
                "sync/..%2fmsync%2fbegin",
                "sync/" + "m".repeat(5000),
                "sync/%ff%fe")) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("anki-sync", header(11));
            cases.add(new Case(
                    "unknown route",
                    path,
                    "v11",
                    "POST",
                    headers,
                    Zstd.compress(utf8("{}")),
                    Expect.CLIENT_ERROR,
                    Transport.HTTP_CLIENT,
                    null));
            headers = new LinkedHashMap<>();
            headers.put("Content-Type", contentType());
            cases.add(new Case(
                    "unknown route",
                    path,
                    "legacy",
                    "POST",
                    headers,
                    form("0", utf8("{}")),
                    Expect.CLIENT_ERROR,
                    Transport.HTTP_CLIENT,
                    null));
        }
    }

    private void mediaBeginQueries() {
        Map<String, Expect> queries = new LinkedHashMap<>();
        queries.put("", Expect.CLIENT_ERROR);
        queries.put("?k=" + hostKey, Expect.CLIENT_ERROR);
        queries.put("?v=x", Expect.CLIENT_ERROR);
        queries.put("?k=wrong&v=x", Expect.CLIENT_ERROR);
        queries.put("?k=" + hostKey + "&v=", Expect.CLIENT_ERROR);
        queries.put("?k=..%2f..%2fbob&v=x", Expect.CLIENT_ERROR);
        queries.put("?k=%00&v=%00", Expect.CLIENT_ERROR);
        queries.put("?k=%ff%fe&v=%ff", Expect.CLIENT_ERROR);
        queries.put("?k=" + hostKey + "&v=" + "v".repeat(10_000), Expect.NOT_5XX);
        queries.put("?k=" + hostKey + "&k=other&v=x&v=y", Expect.NOT_5XX);
        queries.put("?k=" + hostKey + "&v=%", Expect.NOT_5XX);
        for (Map.Entry<String, Expect> query : queries.entrySet()) {
            // a raw request line: HttpClient refuses some of these URIs (a lone %)
            byte[] raw = utf8("GET /msync/begin" + query.getKey() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            cases.add(new Case(
                    "GET query " + abbreviate(query.getKey()),
                    "msync/begin",
                    "query",
                    "GET",
                    Map.of(),
                    new byte[0],
                    query.getValue(),
                    Transport.SOCKET,
                    raw));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private void v11(String route, String name, String syncHeader, byte[] body, Expect expect) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("anki-sync", syncHeader);
        headers.put("Content-Type", "application/octet-stream");
        cases.add(new Case(name, route, "v11", "POST", headers, body, expect, Transport.HTTP_CLIENT, null));
    }

    private void legacy(String route, String name, byte[] body, String contentType, Expect expect) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        cases.add(new Case(name, route, "legacy", "POST", headers, body, expect, Transport.HTTP_CLIENT, null));
    }

    private void socket(String route, String name, byte[] head, byte[] body) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(head);
        raw.writeBytes(body);
        // A complete form followed by less than Content-Length promised: the form is whole, a route may accept it.
        Expect expect = name.startsWith("legacy: Content-Length larger") ? Expect.NOT_5XX : Expect.CLIENT_ERROR;
        cases.add(new Case(
                name,
                route,
                name.startsWith("legacy") ? "legacy" : "v11",
                "POST",
                Map.of(),
                new byte[0],
                expect,
                Transport.SOCKET,
                raw.toByteArray()));
    }

    String header(int version) {
        return "{\"v\":" + version + ",\"k\":\"" + hostKey + "\",\"c\":\"hostile,1,linux\",\"s\":\"hs1\"}";
    }

    static String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    /** A legacy form: c, k, s, then data (as the Python client sends it). */
    byte[] form(String compressed, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(field("c", utf8(compressed)));
        out.writeBytes(field("k", utf8(hostKey)));
        out.writeBytes(field("s", utf8("hs1")));
        out.writeBytes(field("data", data));
        out.writeBytes(utf8("--" + BOUNDARY + "--\r\n"));
        return out.toByteArray();
    }

    private byte[] formDataFirst(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(field("data", data));
        out.writeBytes(field("k", utf8(hostKey)));
        out.writeBytes(field("c", utf8("0")));
        out.writeBytes(utf8("--" + BOUNDARY + "--\r\n"));
        return out.toByteArray();
    }

    private static byte[] field(String name, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (name.equals("data") ? "; filename=\"data\"\r\nContent-Type: application/octet-stream" : "")
                + "\r\n\r\n"));
        out.writeBytes(value);
        out.writeBytes(utf8("\r\n"));
        return out.toByteArray();
    }

    /** A valid JSON object of 4 MiB: over 3 x ANKISYNCD_MAX_UPLOAD_MB=1 decompressed, and over 1 MiB raw. */
    private static byte[] overLimit() {
        return utf8("{\"v\":11,\"cv\":\"x\",\"pad\":\"" + "p".repeat(4 << 20) + "\"}");
    }

    private byte[] noise(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s, Charset charset) {
        return s.getBytes(charset);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
