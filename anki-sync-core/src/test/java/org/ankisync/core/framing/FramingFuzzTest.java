package org.ankisync.core.framing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ankisync.core.Mutations;
import org.ankisync.core.http.SyncException;

/**
 * Fuzzes the request parsers (v11 header + zstd body, legacy multipart + gzip,
 * the multipart reader itself) with arbitrary and mutated inputs. The rule: a
 * request is either decoded or refused with a {@link SyncException} of status
 * 4xx; reading a decoded payload fails, if at all, only with an
 * {@link IOException} (which the methods answer with 400, or 413 for
 * {@link LimitedInputStream.PayloadTooLargeException}); nothing else escapes
 * and nothing loops forever.
 *
 * <p>The try counts are kept small for CI. For a longer run:
 * {@code mvn -o verify -pl anki-sync-core -Dtest=FramingFuzzTest -Djqwik.tries.default=100000}
 * (see {@code src/test/resources/junit-platform.properties}).
 */
class FramingFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUNDARY = "Anki-sync-boundary";
    private static final long LIMIT = 64 * 1024;
    private static final String GOOD_HEADER = "{\"v\":11,\"k\":\"key\",\"c\":\"26.9.3,abc,linux\",\"s\":\"sess\"}";
    private static final byte[] GOOD_JSON =
            "{\"minUsn\":0,\"lnewer\":true,\"graves\":{\"cards\":[1,2],\"notes\":[3],\"decks\":[]}}"
                    .getBytes(StandardCharsets.UTF_8);

    private final V11Framing v11 = new V11Framing(JSON, LIMIT);
    private final LegacyFraming legacy = new LegacyFraming(JSON, LIMIT, 3 * LIMIT);

    @Property
    void v11HeaderAnyString(@ForAll("headers") String header, @ForAll("mutatedZstd") byte[] body) {
        decodeV11(header, body);
    }

    @Property
    void v11BodyAnyBytes(@ForAll byte[] body) {
        decodeV11(GOOD_HEADER, body);
    }

    @Property
    void v11BodyMutated(@ForAll("mutatedZstd") byte[] body) {
        decodeV11(GOOD_HEADER, body);
    }

    @Property
    void legacyMutatedForm(@ForAll("mutatedForms") byte[] body, @ForAll boolean mediaBegin) {
        decodeLegacy("multipart/form-data; boundary=" + BOUNDARY, body, mediaBegin);
    }

    @Property
    void legacyAnyContentType(@ForAll("contentTypes") String contentType, @ForAll("mutatedForms") byte[] body) {
        decodeLegacy(contentType, body, false);
    }

    @Property
    void multipartReaderAnyBytes(@ForAll("mutatedForms") byte[] body, @ForAll("boundaries") String boundary) {
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), boundary);
        byte[] buffer = new byte[97];
        int steps = 0;
        try {
            while (reader.nextPart() != null) {
                int n;
                while ((n = reader.readContent(buffer, 0, buffer.length)) >= 0) {
                    // a part of k bytes ends after at most k + 1 reads returning > 0 or 0-length guards
                    assertTrue(n > 0, "readContent returned 0 for a non-empty buffer");
                    assertTrue(++steps < 100_000, "the reader does not make progress");
                }
                assertTrue(++steps < 100_000, "the reader does not make progress");
            }
        } catch (IOException expected) {
            // malformed: refused
        }
    }

    private void decodeV11(String header, byte[] body) {
        SyncRequest request;
        try {
            request = v11.decode(header, new ByteArrayInputStream(body));
        } catch (SyncException e) {
            assertTrue(e.status() >= 400 && e.status() < 500, () -> "status " + e.status() + ": " + e.getMessage());
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return;
        }
        readAll(request.payload());
    }

    private void decodeLegacy(String contentType, byte[] body, boolean mediaBegin) {
        SyncRequest request;
        try {
            request = legacy.decode(contentType, new ByteArrayInputStream(body), mediaBegin);
        } catch (SyncException e) {
            assertTrue(e.status() >= 400 && e.status() < 500, () -> "status " + e.status() + ": " + e.getMessage());
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return;
        }
        readAll(request.payload());
    }

    /** Reading may fail only with an IOException (400 or 413 upstream). */
    private static void readAll(InputStream payload) {
        byte[] buffer = new byte[4096];
        try (payload) {
            while (payload.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException expected) {
            // refused as a broken or oversized body
        }
    }

    // --- generators ------------------------------------------------------

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> mutated = Arbitraries.longs()
                .map(seed -> new String(
                        Mutations.mutate(GOOD_HEADER.getBytes(StandardCharsets.UTF_8), new Random(seed)),
                        StandardCharsets.UTF_8));
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                mutated,
                Arbitraries.of(
                        "{}",
                        "[]",
                        "null",
                        "1",
                        "\"x\"",
                        "{\"v\":11}",
                        "{\"v\":1e400,\"k\":\"\",\"c\":\"\",\"s\":\"\"}",
                        "{\"v\":99999999999999999999999,\"k\":\"\",\"c\":\"\",\"s\":\"\"}",
                        "{\"v\":11.5,\"k\":\"\",\"c\":\"\",\"s\":\"\"}",
                        "{\"v\":11,\"k\":[],\"c\":{},\"s\":null}",
                        "[".repeat(2000) + "]".repeat(2000),
                        "{\"a\":".repeat(1500) + "1" + "}".repeat(1500),
                        "x".repeat(5000)));
    }

    @Provide
    Arbitrary<byte[]> mutatedZstd() {
        byte[] good = Zstd.compress(GOOD_JSON);
        byte[] big = Zstd.compress(new byte[(int) (LIMIT * 4)]);
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            return Mutations.mutate(random.nextInt(8) == 0 ? big : good, random);
        });
    }

    @Provide
    Arbitrary<byte[]> mutatedForms() {
        byte[][] seeds = {
            form(false, GOOD_JSON),
            form(true, GOOD_JSON),
            form(true, new byte[(int) LIMIT * 2]),
            form(false, new byte[LegacyFraming.BUFFERED_DATA_BYTES / 8])
        };
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            return Mutations.mutate(seeds[random.nextInt(seeds.length)], random);
        });
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(120),
                Arbitraries.of(
                        "multipart/form-data",
                        "multipart/form-data; boundary=",
                        "multipart/form-data; boundary=\"\"",
                        "multipart/form-data; boundary=\"",
                        "multipart/form-data; boundary=" + "b".repeat(71),
                        "MULTIPART/FORM-DATA; BOUNDARY=" + BOUNDARY,
                        "multipart/form-data; boundary=" + BOUNDARY + "; boundary=x",
                        "application/json",
                        "multipart/form-data;;;boundary=" + BOUNDARY,
                        "multipart/form-data; boundary=--"));
    }

    @Provide
    Arbitrary<String> boundaries() {
        return Arbitraries.oneOf(
                Arbitraries.just(BOUNDARY), Arbitraries.strings().ofMinLength(1).ofMaxLength(70));
    }

    /** A legacy form as the Python client sends it. */
    static byte[] form(boolean gzip, byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n" + (gzip ? 1 : 0)
                    + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nkey\r\n--"
                    + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"s\"\r\n\r\nsess\r\n--" + BOUNDARY
                    + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"data\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (gzip) {
                ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
                    z.write(data);
                }
                out.write(zipped.toByteArray());
            } else {
                out.write(data);
            }
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
