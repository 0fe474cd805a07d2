package org.ankisync.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.ankisync.media.store.MediaStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One user's media files as objects in an S3-compatible bucket, under the user's own key
 * prefix ({@link S3Keys}). Nothing is held in memory: uploads go from a file (a staged
 * upload, or a stream first written to a temporary file in the user's folder), larger
 * ones as a multipart upload; reads are the response stream.
 *
 * <p>Atomic replacement: a PUT (or a completed multipart upload) replaces the object
 * whole, so a reader sees the old bytes or the new ones. {@link #open} is one GET: S3
 * serves the response from the one object version that was current when it started, even
 * if the object is replaced or deleted while it is read. Writes are durable when S3 has
 * answered, so {@link #flush} has nothing to do. The media trash stays on local disk:
 * {@link #moveOut} copies the object to the trash file, then deletes it.
 */
public final class S3MediaStore implements MediaStore {
    /** Files larger than this go up in parts (S3's single PUT takes up to 5 GiB, but a retry resends all). */
    static final long MULTIPART_THRESHOLD = 16L * 1024 * 1024;
    /** Size of each part but the last (S3 wants at least 5 MiB). */
    static final long PART_BYTES = 8L * 1024 * 1024;

    private final S3Client client;
    private final String bucket;
    private final S3Keys keys;
    private final Path userFolder;

    /**
     * @param userFolder where a stream of unknown length is staged before it is uploaded (the
     *                   file system store stages there too, and stale {@code .media-*.tmp} files
     *                   there are removed at startup)
     */
    public S3MediaStore(S3Client client, String bucket, S3Keys keys, Path userFolder) {
        this.client = client;
        this.bucket = bucket;
        this.keys = keys;
        this.userFolder = userFolder;
    }

    @Override
    public void put(String name, InputStream content) throws IOException {
        keys.keyOf(name);
        Files.createDirectories(userFolder);
        Path temp = Files.createTempFile(userFolder, ".media-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.transferTo(Channels.newOutputStream(channel));
            }
            putFile(name, temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void putFile(String name, Path staged) throws IOException {
        String key = keys.keyOf(name);
        long size = Files.size(staged);
        try {
            if (size > MULTIPART_THRESHOLD) {
                putInParts(key, staged, size);
            } else {
                client.putObject(b -> b.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(staged));
            }
        } catch (SdkException e) {
            throw failure("store", name, e);
        }
        Files.deleteIfExists(staged);
    }

    private void putInParts(String key, Path file, long size) throws IOException {
        String uploadId =
                client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += PART_BYTES, number++) {
                long length = Math.min(PART_BYTES, size - offset);
                int partNumber = number;
                long from = offset;
                // a new stream for every attempt: the SDK re-reads a part to sign it and on retries
                RequestBody body = RequestBody.fromContentProvider(
                        () -> slice(file, from, length), length, "application/octet-stream");
                UploadPartResponse uploaded = client.uploadPart(
                        b -> b.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .contentLength(length),
                        body);
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(uploaded.eTag())
                        .build());
            }
            client.completeMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | UncheckedIOException e) {
            try {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            if (e instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            throw e;
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}, read as they are sent. */
    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedStream(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        String key = keys.keyOf(name);
        try {
            return new AbortOnEarlyClose(client.getObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(name);
        } catch (SdkException e) {
            throw failure("read", name, e);
        }
    }

    /** S3 cannot say whether a delete removed anything, so a HEAD asks first (callers hold the user's lock). */
    @Override
    public boolean delete(String name) throws IOException {
        String key = keys.keyOf(name);
        if (head(name, key) == null) {
            return false;
        }
        try {
            client.deleteObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            throw failure("delete", name, e);
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        return head(name, keys.keyOf(name)) != null;
    }

    @Override
    public long size(String name) throws IOException {
        HeadObjectResponse head = head(name, keys.keyOf(name));
        return head == null ? -1 : head.contentLength();
    }

    private HeadObjectResponse head(String name, String key) throws IOException {
        try {
            return client.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw failure("look up", name, e);
        } catch (SdkException e) {
            throw failure("look up", name, e);
        }
    }

    private IOException failure(String what, String name, SdkException e) {
        return new IOException(
                "S3: cannot " + what + " media file " + name + " (bucket " + bucket + "): " + e.getMessage(), e);
    }

    /**
     * Closing a response stream before its end would make the HTTP client read the rest
     * to reuse the connection; dropping the connection is cheaper than reading a large file.
     */
    private static final class AbortOnEarlyClose extends FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private final long length;
        private long read;
        private boolean ended;
        private boolean closed;

        AbortOnEarlyClose(ResponseInputStream<GetObjectResponse> response) {
            super(response);
            this.response = response;
            Long contentLength = response.response().contentLength();
            this.length = contentLength == null ? -1 : contentLength;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        private void count(int n) {
            if (n < 0) {
                ended = true;
            } else {
                read += n;
                // a reader that stops at the announced length (the zip writer does) has read it all
                ended |= length >= 0 && read >= length;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }

    /** At most {@code left} bytes of a stream. */
    private static final class BoundedStream extends FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
