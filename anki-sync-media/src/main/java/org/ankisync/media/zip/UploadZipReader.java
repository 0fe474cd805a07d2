package org.ankisync.media.zip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.ankisync.core.framing.LimitedInputStream.PayloadTooLargeException;
import org.ankisync.media.MediaLimits;
import org.ankisync.media.names.MediaFileNames;

/**
 * Reads an {@code uploadChanges} zip as a stream (media-sync.md section 3.3).
 * Each member is copied to a temporary file in the staging folder while its
 * SHA-1 is computed, so memory use does not depend on the zip's size. Limits
 * are enforced while reading (declared and actual sizes, number of members,
 * total data), and every entry of {@code _meta} is validated before the
 * caller sees anything; on any refusal all temporary files are removed.
 */
public final class UploadZipReader {
    static final String META = "_meta";
    private static final int BUFFER = 64 * 1024;

    private final ObjectMapper json;
    private final Path stagingFolder;

    /**
     * @param stagingFolder where temporary files go; on the same file system as
     *                      the media store so that moving them in is a rename
     */
    public UploadZipReader(ObjectMapper json, Path stagingFolder) {
        this.json = json;
        this.stagingFolder = stagingFolder;
    }

    /**
     * Reads and validates the whole zip.
     *
     * @throws ZipRefusedException      the zip breaks a rule (400)
     * @throws PayloadTooLargeException the request body is over the server's limit (413)
     * @throws IOException              reading the request or writing a temporary file failed
     */
    public StagedUpload read(InputStream body) throws ZipRefusedException, IOException {
        List<Path> temporaryFiles = new ArrayList<>();
        boolean success = false;
        try {
            Map<String, Member> members = new HashMap<>();
            byte[] meta = null;
            long totalData = 0;
            int count = 0;
            ZipInputStream zip = new ZipInputStream(body);
            while (true) {
                ZipEntry entry = nextEntry(zip);
                if (entry == null) {
                    break;
                }
                count++;
                // the changes, plus _meta
                if (count > MediaLimits.MAX_FILES_PER_BATCH + 1) {
                    throw new ZipRefusedException("too many files in zip");
                }
                String name = entry.getName();
                if (entry.isDirectory()) {
                    throw new ZipRefusedException("zip member is a folder: " + abbreviate(name));
                }
                if (name.equals(META)) {
                    if (meta != null) {
                        throw new ZipRefusedException("zip has two _meta members");
                    }
                    meta = readMeta(zip);
                    continue;
                }
                if (members.containsKey(name)) {
                    throw new ZipRefusedException("zip has two members named " + abbreviate(name));
                }
                if (entry.getSize() > MediaLimits.MAX_FILE_BYTES) {
                    throw new ZipRefusedException("file too large");
                }
                Path temp = Files.createTempFile(stagingFolder, ".media-upload-", ".tmp");
                temporaryFiles.add(temp);
                Member member = stage(zip, temp, MediaLimits.MAX_UPLOAD_DATA_BYTES - totalData);
                totalData += member.size;
                members.put(name, member);
            }
            if (meta == null) {
                throw new ZipRefusedException("zip has no _meta member");
            }
            List<UploadChange> changes = interpret(meta, members);
            success = true;
            return new StagedUpload(changes, temporaryFiles);
        } finally {
            if (!success) {
                StagedUpload.deleteQuietly(temporaryFiles);
            }
        }
    }

    private static ZipEntry nextEntry(ZipInputStream zip) throws ZipRefusedException, IOException {
        try {
            return zip.getNextEntry();
        } catch (ZipException | IllegalArgumentException e) {
            // IllegalArgumentException: a member name that is not valid UTF-8
            throw new ZipRefusedException("malformed zip: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new ZipRefusedException("truncated zip", e);
        }
    }

    private static byte[] readMeta(ZipInputStream zip) throws ZipRefusedException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = readMember(zip, buffer)) > 0) {
            out.write(buffer, 0, n);
            if (out.size() > MediaLimits.MAX_META_BYTES) {
                throw new ZipRefusedException("_meta is longer than " + MediaLimits.MAX_META_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static Member stage(ZipInputStream zip, Path temp, long dataBudget)
            throws ZipRefusedException, IOException {
        MessageDigest sha1 = sha1();
        long size = 0;
        byte[] buffer = new byte[BUFFER];
        // Forced before it is renamed into the store and acknowledged: see MediaStore.flush.
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            int n;
            while ((n = readMember(zip, buffer)) > 0) {
                size += n;
                if (size > MediaLimits.MAX_FILE_BYTES) {
                    throw new ZipRefusedException("file too large");
                }
                if (size > dataBudget) {
                    throw new ZipRefusedException(
                            "zip holds more than " + MediaLimits.MAX_UPLOAD_DATA_BYTES + " bytes of file data");
                }
                sha1.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            channel.force(true);
        }
        return new Member(temp, sha1.digest(), size);
    }

    private static int readMember(ZipInputStream zip, byte[] buffer) throws ZipRefusedException, IOException {
        try {
            return zip.read(buffer, 0, buffer.length);
        } catch (ZipException e) {
            throw new ZipRefusedException("malformed zip: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new ZipRefusedException("truncated zip", e);
        }
    }

    private List<UploadChange> interpret(byte[] meta, Map<String, Member> members) throws ZipRefusedException {
        JsonNode root;
        try {
            root = json.readTree(meta);
        } catch (JsonProcessingException e) {
            throw new ZipRefusedException("_meta is not valid JSON", e);
        } catch (IOException e) {
            throw new ZipRefusedException("_meta is not readable", e);
        }
        if (root == null || !root.isArray()) {
            throw new ZipRefusedException("_meta is not a JSON array");
        }
        if (root.size() > MediaLimits.MAX_FILES_PER_BATCH) {
            throw new ZipRefusedException("too many files in zip");
        }
        List<UploadChange> changes = new ArrayList<>();
        Set<String> usedMembers = new HashSet<>();
        for (JsonNode item : root) {
            if (!item.isArray() || item.size() != 2 || !item.get(0).isTextual()) {
                throw new ZipRefusedException("_meta entry is not [name, member]");
            }
            String fname = item.get(0).textValue();
            Optional<String> problem = MediaFileNames.problem(fname);
            if (problem.isPresent()) {
                throw new ZipRefusedException(problem.get());
            }
            JsonNode ref = item.get(1);
            if (ref.isNull() || (ref.isTextual() && ref.textValue().isEmpty())) {
                changes.add(new UploadChange(fname, null, null, 0));
                continue;
            }
            if (!ref.isTextual()) {
                throw new ZipRefusedException("_meta member reference is not a string or null");
            }
            String memberName = ref.textValue();
            Member member = members.get(memberName);
            if (member == null) {
                throw new ZipRefusedException("_meta names a member missing from the zip: " + abbreviate(memberName));
            }
            if (!usedMembers.add(memberName)) {
                throw new ZipRefusedException("_meta names one member twice: " + abbreviate(memberName));
            }
            if (member.size == 0) {
                throw new ZipRefusedException("file entry was zero bytes");
            }
            changes.add(new UploadChange(fname, member.path, member.sha1, member.size));
        }
        return changes;
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }

    private static String abbreviate(String s) {
        return MediaFileNames.printable(s.length() > 80 ? s.substring(0, 80) + "..." : s);
    }

    private record Member(Path path, byte[] sha1, long size) {}
}
