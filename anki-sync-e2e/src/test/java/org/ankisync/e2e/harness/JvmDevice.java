package org.ankisync.e2e.harness;

import anki.backend.BackendError;
import anki.decks.Deck;
import anki.notes.Note;
import anki.sync.SyncAuth;
import anki.sync.SyncCollectionResponse;
import anki.sync.SyncLoginRequest;
import com.google.protobuf.ByteString;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.ankiweb.rsdroid.Backend;
import net.ankiweb.rsdroid.BackendException;
import net.ankiweb.rsdroid.exceptions.BackendNetworkException;
import net.ankiweb.rsdroid.exceptions.BackendSyncException.BackendSyncAuthFailedException;
import net.ankiweb.rsdroid.testing.RustBackendLoader;
import org.json.JSONArray;

/**
 * A device driven by the official Anki 2.1.66 client (protocol v11) inside this
 * JVM: AnkiDroid's build of Anki's Rust core, one {@link Backend} per device
 * (see {@code docs/protocol/reference-client-jvm.md}).
 *
 * <p><b>Licensing: test-only.</b> The artifacts behind this class
 * ({@code io.github.david-allison-1:anki-android-backend} and
 * {@code anki-android-backend-testing}, with Anki's core inside) are GPL/AGPL.
 * They are test-scope dependencies of the end-to-end module only, unpacked into
 * {@code target/test-classes} by the build; they are never part of any jar, WAR
 * or image we ship. The stubs in {@code android.*} and {@code timber.log} exist
 * only so that they link on a desktop JVM.
 *
 * <p>The native library takes over file descriptors 1 and 2 when the first
 * backend is created (AnkiDroid sends them to logcat), which would silence the
 * console and break Surefire's fork channel. Every backend is therefore created
 * between a {@code dup} and a {@code dup2} of both descriptors (libc via JNA).
 */
public final class JvmDevice implements Device {
    /** What the backend calls itself in the {@code anki-sync} header. */
    public static final String CLIENT_VERSION = "2.1.66";

    private static final Object NATIVE_LOCK = new Object();
    private static volatile long libraryLoadNanos = -1;

    private final Path folder;
    private final Backend backend;
    private SyncAuth auth;

    private JvmDevice(Path folder, Backend backend) {
        this.folder = folder;
        this.backend = backend;
    }

    /** Opens (creating if needed) the collection in {@code folder} with a new backend. */
    public static JvmDevice open(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Backend backend = newBackend();
        try {
            backend.openCollection(
                    folder.resolve("collection.anki2").toString(),
                    folder.resolve("collection.media").toString(),
                    folder.resolve("collection.media.db").toString(),
                    false);
        } catch (BackendException e) {
            backend.close();
            throw translate(e);
        }
        return new JvmDevice(folder, backend);
    }

    /** How long loading the native library took, in milliseconds (-1 before the first device). */
    public static double libraryLoadMillis() {
        return libraryLoadNanos < 0 ? -1 : libraryLoadNanos / 1e6;
    }

    public Path folder() {
        return folder;
    }

    /** The backend, for scenarios that need more than {@link Device} offers. */
    public Backend backend() {
        return backend;
    }

    /** The credentials of the last login (with the endpoint), or null. */
    public SyncAuth auth() {
        return auth;
    }

    @Override
    public String clientName() {
        return "jvm-" + CLIENT_VERSION;
    }

    @Override
    public String login(String endpoint, String user, String password) {
        SyncAuth reply = call(() -> backend.syncLogin(SyncLoginRequest.newBuilder()
                .setUsername(user)
                .setPassword(password)
                .setEndpoint(endpoint)
                .build()));
        // The reply has no endpoint: without it every later call would go to AnkiWeb.
        auth = reply.toBuilder().setEndpoint(endpoint).setIoTimeoutSecs(120).build();
        return auth.getHkey();
    }

    @Override
    public List<Long> addBasicNotes(int count, String deck) {
        return call(() -> {
            long deckId = deckId(deck);
            long notetypeId = backend.getNotetypeIdByName("Basic");
            long stamp = System.nanoTime();
            List<Long> ids = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                Note.Builder note = backend.newNote(notetypeId).toBuilder();
                note.setFields(0, "Front " + n + "-" + stamp);
                note.setFields(1, "Back " + n + "-" + stamp);
                ids.add(backend.addNote(note.build(), deckId).getNoteId());
            }
            return ids;
        });
    }

    private long deckId(String name) {
        try {
            return backend.getDeckIdByName(name);
        } catch (BackendException missing) {
            // 2.1.66 answers NotFound for a missing name: create it as the desktop's decks.id(name) would.
            Deck deck = backend.newDeck().toBuilder().setName(name).build();
            return backend.addDeck(deck).getId();
        }
    }

    @Override
    public SyncRequired sync() {
        SyncCollectionResponse reply = call(() -> backend.syncCollection(requireAuth()));
        if (reply.hasNewEndpoint() && !reply.getNewEndpoint().isEmpty()) {
            auth = auth.toBuilder().setEndpoint(reply.getNewEndpoint()).build();
        }
        return switch (reply.getRequired()) {
            case NO_CHANGES -> SyncRequired.NO_CHANGES;
            case NORMAL_SYNC -> SyncRequired.NORMAL_SYNC;
            case FULL_SYNC -> SyncRequired.FULL_SYNC;
            case FULL_DOWNLOAD -> SyncRequired.FULL_DOWNLOAD;
            case FULL_UPLOAD -> SyncRequired.FULL_UPLOAD;
            default ->
                throw new DeviceException(
                        "UnknownRequired", "OTHER", "the client was told " + reply.getRequiredValue());
        };
    }

    @Override
    public void fullSync(boolean upload) {
        SyncAuth credentials = requireAuth();
        // The backend closes the collection, transfers it and reopens it.
        call(() -> {
            if (upload) {
                backend.fullUpload(credentials);
            } else {
                backend.fullDownload(credentials);
            }
            return null;
        });
    }

    /** Stores a media file as the app does; returns the name it was stored under. */
    public String addMedia(String name, byte[] data) {
        return call(() -> backend.addMediaFile(name, ByteString.copyFrom(data)));
    }

    /** Moves media files to the trash; the deletion is synced. */
    public void trashMedia(List<String> names) {
        call(() -> {
            backend.trashMediaFiles(names);
            return null;
        });
    }

    /** A blocking media sync (this backend runs it in the calling thread). */
    public void syncMedia() {
        SyncAuth credentials = requireAuth();
        call(() -> {
            backend.syncMedia(credentials);
            return null;
        });
    }

    /** The media folder: file name to SHA-1 of its bytes, empty files left out (they never sync). */
    public Map<String, String> mediaFiles() {
        Map<String, String> files = new TreeMap<>();
        Path media = folder.resolve("collection.media");
        if (!Files.isDirectory(media)) {
            return files;
        }
        try (Stream<Path> list = Files.list(media)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                if (Files.isRegularFile(file) && Files.size(file) > 0) {
                    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                    files.put(
                            file.getFileName().toString(),
                            HexFormat.of().formatHex(sha1.digest(Files.readAllBytes(file))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    @Override
    public Counts counts() {
        return call(() -> new Counts(count("notes"), count("cards"), count("revlog")));
    }

    private long count(String table) {
        JSONArray rows = backend.fullQuery("select count() from " + table);
        return rows.getJSONArray(0).getLong(0);
    }

    @Override
    public void close() {
        try {
            if (backend.isOpen()) {
                backend.closeCollection(false);
            }
        } catch (BackendException ignored) {
            // closing is best effort; the backend is released below either way
        } finally {
            backend.close();
        }
    }

    private SyncAuth requireAuth() {
        if (auth == null) {
            throw new IllegalStateException("log in first");
        }
        return auth;
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (BackendException e) {
            throw translate(e);
        }
    }

    /** 403 on login is AUTH as in the Python client; anything else is named by the backend's error kind. */
    static DeviceException translate(BackendException e) {
        String type = e.getClass().getSimpleName();
        String kind;
        if (e instanceof BackendSyncAuthFailedException) {
            kind = "AUTH";
        } else {
            BackendError error = errorOf(e);
            if (error != null) {
                kind = error.getKind().name();
            } else if (e instanceof BackendNetworkException) {
                kind = "NETWORK_ERROR";
            } else {
                kind = "OTHER";
            }
        }
        DeviceException translated = new DeviceException(type, kind, String.valueOf(e.getMessage()));
        translated.initCause(e);
        return translated;
    }

    private static BackendError errorOf(BackendException e) {
        try {
            Field field = BackendException.class.getDeclaredField("error");
            field.setAccessible(true);
            return (BackendError) field.get(e);
        } catch (ReflectiveOperationException | RuntimeException notThere) {
            return null;
        }
    }

    /** Loads the library (once) and creates a backend, keeping this process's stdout and stderr. */
    private static Backend newBackend() {
        synchronized (NATIVE_LOCK) {
            StandardStreams saved = StandardStreams.save();
            try {
                if (libraryLoadNanos < 0) {
                    long start = System.nanoTime();
                    RustBackendLoader.ensureSetup();
                    libraryLoadNanos = System.nanoTime() - start;
                }
                return new Backend(List.of("en"));
            } finally {
                saved.restore();
            }
        }
    }

    /** Copies of descriptors 1 and 2, put back after the native code redirected them. */
    private record StandardStreams(int out, int err) {
        interface LibC extends Library {
            LibC INSTANCE = Native.load("c", LibC.class);

            int dup(int fd);

            int dup2(int oldFd, int newFd);

            int close(int fd);
        }

        static StandardStreams save() {
            System.out.flush();
            System.err.flush();
            return new StandardStreams(LibC.INSTANCE.dup(1), LibC.INSTANCE.dup(2));
        }

        void restore() {
            restore(out, 1);
            restore(err, 2);
        }

        private static void restore(int copy, int fd) {
            if (copy < 0) {
                return;
            }
            if (LibC.INSTANCE.dup2(copy, fd) < 0) {
                throw new IllegalStateException("could not restore file descriptor " + fd);
            }
            LibC.INSTANCE.close(copy);
        }
    }
}
