package org.ankisync.e2e.collection;

import java.nio.file.Path;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.SyncServerUnderTest;

/**
 * The collection scenarios and device helpers, for test packages that run them
 * against other deployments of our server (Tomcat, the examples).
 */
public final class SharedScenarios {
    private SharedScenarios() {}

    /** Scenario 1: login, full upload of 200 notes, full download on a new device, identical devices. */
    public static void uploadThenDownload(SyncServerUnderTest server, Path temp) {
        Scenarios.uploadThenDownload(server, temp);
    }

    /** Scenarios 2 and 3: edits, reviews, deletions, decks, options and tags converge in normal syncs. */
    public static void incrementalChanges(SyncServerUnderTest server, Path temp) {
        Scenarios.incrementalChanges(server, temp);
    }

    /** 200 notes over 3 decks and 3 notetypes (scenario 1). */
    public static void populate(PythonDevice device) {
        Scenarios.populate(device);
    }

    /** A new device in {@code folder}, logged in as alice. */
    public static PythonDevice loggedIn(SyncServerUnderTest server, Path folder) {
        return Devices.loggedIn(server, folder);
    }

    /** One sync; a required full sync goes in {@code onConflict} direction. Returns what was performed. */
    public static String sync(PythonDevice device, String onConflict) {
        return Devices.sync(device, onConflict).get("performed").asText();
    }

    /** A normal sync that must not turn into a full sync. */
    public static void normalSync(PythonDevice device) {
        Devices.normalSync(device);
    }

    /** Asserts that the devices hold the same content. */
    public static void assertSameContent(PythonDevice first, PythonDevice... others) {
        Devices.assertSameContent(first, others);
    }
}
