package org.ankisync.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.auth.UserStore;

/**
 * Users in a JSON file ({@code ANKISYNCD_AUTH_STORE=json}, file at
 * {@code ANKISYNCD_AUTH_JSON_PATH}, default {@code ./users.json}), for people
 * who like to read or keep their accounts in version control:
 *
 * <pre>{@code {"users": {"alice": {"password": "$pbkdf2-sha256$i=600000,l=32$...$..."}}}}</pre>
 *
 * <p>The file is re-read whenever it changes on disk (checked on every call),
 * so edits by the command line or by hand apply at once. Writes hold a lock on
 * {@code <file>.lock} and replace the file atomically. Host keys live in the
 * account database, as with the other stores; removing a user or changing a
 * password revokes them (see {@link Accounts}).
 */
public final class JsonFileUserStore implements UserStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final PasswordPolicy hashing;
    private Snapshot snapshot = new Snapshot(null, Map.of());

    public JsonFileUserStore(Path file, PasswordPolicy hashing) {
        this.file = file;
        this.hashing = hashing;
        read(); // fail at start-up, not at the first login, if the file is unreadable
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        return hashing.verify(Optional.ofNullable(read().get(username)), password);
    }

    @Override
    public boolean exists(String username) {
        return read().containsKey(username);
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(read().keySet());
    }

    @Override
    public void add(String username, String password) {
        UserNames.requireValid(username);
        String hash = hashing.hash(password);
        update(users -> {
            if (users.containsKey(username)) {
                throw new IllegalArgumentException("user '" + username + "' already exists");
            }
            users.put(username, hash);
            return true;
        });
    }

    @Override
    public boolean remove(String username) {
        return update(users -> users.remove(username) != null);
    }

    @Override
    public boolean changePassword(String username, String newPassword) {
        String hash = hashing.hash(newPassword);
        return update(users -> users.replace(username, hash) != null);
    }

    /** The users and their hashes, re-read if the file changed. */
    private synchronized Map<String, String> read() {
        Object version = version();
        if (Objects.equals(version, snapshot.version) && version != null) {
            return snapshot.users;
        }
        Map<String, String> users = parse();
        snapshot = new Snapshot(version, Collections.unmodifiableMap(users));
        return snapshot.users;
    }

    private Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private Map<String, String> parse() {
        Map<String, String> users = new TreeMap<>();
        if (!Files.exists(file)) {
            return users;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode list = root == null ? null : root.get("users");
            if (list == null || !list.isObject()) {
                throw new IllegalStateException(file + ": expected {\"users\": {\"name\": {\"password\": ...}}}");
            }
            for (Map.Entry<String, JsonNode> e : list.properties()) {
                JsonNode password = e.getValue().get("password");
                if (password == null || !password.isTextual() || !UserNames.isValid(e.getKey())) {
                    throw new IllegalStateException(file + ": bad entry for user '" + e.getKey() + "'");
                }
                users.put(e.getKey(), password.textValue());
            }
            return users;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private synchronized <T> T update(Function<Map<String, String>, T> change) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                Map<String, String> users = parse();
                T result = change.apply(users);
                write(users);
                snapshot = new Snapshot(null, Map.of());
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void write(Map<String, String> users) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode list = root.putObject("users");
        users.forEach((name, hash) -> list.putObject(name).put("password", hash));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(
                temp, JSON.writeValueAsBytes(root), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Path file() {
        return file;
    }

    private record Snapshot(Object version, Map<String, String> users) {}
}
