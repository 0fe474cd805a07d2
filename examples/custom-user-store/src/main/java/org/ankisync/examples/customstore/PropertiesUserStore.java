package org.ankisync.examples.customstore;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.core.auth.UserStore;

/**
 * A read-only user store: a properties file of {@code name=<PHC hash>} lines,
 * re-read on every call (it is small, and edits then apply at once). Write
 * the hashes with any PBKDF2 tool that produces PHC strings, or with
 * {@link Pbkdf2#hash(String)}.
 *
 * <p>Only {@link #verifyPassword}, {@link #exists} and {@link #list} are
 * required; a store that can also add, remove and change passwords overrides
 * the interface's default methods, and the server's command line then works
 * with it.
 */
public final class PropertiesUserStore implements UserStore {
    private final Path file;

    public PropertiesUserStore(Path file) {
        this.file = file;
        read(); // fail at start-up if the file is unreadable
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        String hash = read().getProperty(username);
        // Check some hash even for unknown names, so that timing does not reveal which names exist.
        boolean ok = Pbkdf2.verify(hash != null ? hash : DECOY, password);
        return ok && hash != null;
    }

    @Override
    public boolean exists(String username) {
        return read().containsKey(username);
    }

    @Override
    public List<String> list() {
        List<String> names = new ArrayList<>(read().stringPropertyNames());
        Collections.sort(names);
        return names;
    }

    private Properties read() {
        Properties users = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            users.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return users;
    }

    private static final String DECOY = Pbkdf2.hash("decoy");
}
