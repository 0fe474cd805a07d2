package org.ankisync.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.ankisync.auth.Accounts;
import org.ankisync.auth.HostKeyRecord;
import org.ankisync.auth.PasswordPolicy;
import org.ankisync.core.auth.UserNames;

/**
 * Every action and view of the admin area, for the HTML pages and the JSON
 * endpoints alike. Account changes go through {@link Accounts}, exactly as the
 * {@code user}/{@code key} command line does, so revoking keys on a password
 * change (and refusing to touch {@code SYNC_USERn} users) happens in one place.
 */
public final class AdminService {
    private final Accounts accounts;
    private final ActivityLog activity;
    private final UserStats stats;
    private final Path collectionsPath;
    private final String version;

    public AdminService(Accounts accounts, ActivityLog activity, Path collectionsPath) {
        this.accounts = accounts;
        this.activity = activity;
        this.collectionsPath = collectionsPath;
        this.stats = new UserStats(collectionsPath);
        this.version = readVersion();
    }

    /** The overview page. */
    public record Overview(
            int users,
            int devices,
            long syncsToday,
            long errorsToday,
            long diskUsed,
            long diskFree,
            String version,
            Duration uptime,
            boolean ready,
            String readiness) {}

    /** When and with what a user last synced (or, before any sync since start, a device was last seen). */
    public record LastSeen(Instant at, String clientVersion, String address, boolean sinceStart) {}

    /** One row of the users page. */
    public record UserRow(
            String name, boolean fromEnvironment, UserStats.Stats stats, Optional<LastSeen> lastSync, int devices) {}

    public Overview overview() {
        List<String> users = List.of();
        String readiness = "ready";
        boolean ready = true;
        try {
            users = accounts.users().list();
        } catch (RuntimeException e) {
            ready = false;
            readiness = "the account store cannot be read: " + e.getMessage();
        }
        if (ready && !Files.isWritable(collectionsPath)) {
            ready = false;
            readiness = "the collections folder is not writable";
        }
        int devices = 0;
        try {
            devices = accounts.keys().list(Optional.empty()).size();
        } catch (RuntimeException e) {
            ready = false;
            readiness = "the account database cannot be read: " + e.getMessage();
        }
        long free = 0;
        try {
            free = Files.getFileStore(collectionsPath).getUsableSpace();
        } catch (IOException e) {
            ready = false;
            readiness = "the collections folder is missing: " + e.getMessage();
        }
        ActivityLog.Today today = activity.today();
        Duration uptime = Duration.between(activity.started(), activity.clock().instant());
        return new Overview(
                users.size(),
                devices,
                today.syncs(),
                today.errors(),
                UserStats.treeSize(collectionsPath),
                free,
                version,
                uptime,
                ready,
                readiness);
    }

    public List<UserRow> users() {
        List<UserRow> rows = new ArrayList<>();
        for (String name : accounts.users().list()) {
            List<HostKeyRecord> keys = accounts.keys().list(Optional.of(name));
            rows.add(new UserRow(
                    name, accounts.environmentUsers().exists(name), stats.of(name), lastSync(name, keys), keys.size()));
        }
        return rows;
    }

    public UserRow user(String name) {
        requireUser(name);
        List<HostKeyRecord> keys = accounts.keys().list(Optional.of(name));
        return new UserRow(
                name, accounts.environmentUsers().exists(name), stats.of(name), lastSync(name, keys), keys.size());
    }

    /** Whether users can be added, removed and have their passwords changed (not with the {@code env} store). */
    public boolean writable() {
        return accounts.isWritable();
    }

    public void addUser(String name, String password) {
        validName(name);
        validPassword(password);
        if (accounts.users().exists(name)) {
            throw new AdminException(409, "user " + name + " exists already");
        }
        change(() -> accounts.users().add(name, password));
    }

    /** Changes a password; the user's devices must log in again. */
    public void changePassword(String name, String password) {
        requireUser(name);
        validPassword(password);
        change(() -> accounts.users().changePassword(name, password));
    }

    /** Removes a user and revokes their keys; their collection folder stays. */
    public void removeUser(String name) {
        requireUser(name);
        change(() -> accounts.users().remove(name));
        activity.forget(name);
    }

    /** The host keys (logged-in devices) of a user, oldest first. */
    public List<HostKeyRecord> devices(String name) {
        requireUser(name);
        return accounts.keys().list(Optional.of(name));
    }

    /** Revokes one device's key; it must be one of {@code name}'s. */
    public void revoke(String name, long keyId) {
        boolean owned = devices(name).stream().anyMatch(k -> k.id() == keyId);
        if (!owned || !accounts.keys().revoke(keyId)) {
            throw AdminException.notFound("user " + name + " has no device key " + keyId);
        }
    }

    /** Revokes every key of a user; returns how many there were. */
    public int revokeAll(String name) {
        requireUser(name);
        return accounts.keys().revokeAll(name);
    }

    /** Recent failed syncs and logins, newest first. */
    public List<ActivityLog.Event> failures() {
        return activity.recent();
    }

    private Optional<LastSeen> lastSync(String name, List<HostKeyRecord> keys) {
        Optional<ActivityLog.LastSync> seen = activity.lastSync(name);
        if (seen.isPresent()) {
            ActivityLog.LastSync s = seen.get();
            return Optional.of(new LastSeen(s.at(), s.clientVersion(), s.address(), true));
        }
        return keys.stream()
                .max(Comparator.comparing(HostKeyRecord::lastUsed))
                .map(k -> new LastSeen(k.lastUsed(), k.clientVersion(), k.lastAddress(), false));
    }

    private void requireUser(String name) {
        if (name == null || !UserNames.isValid(name) || !accounts.users().exists(name)) {
            throw AdminException.notFound("no user " + name);
        }
    }

    private static void validName(String name) {
        try {
            UserNames.requireValid(name);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(e.getMessage());
        }
    }

    private static void validPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw AdminException.badRequest("the password must not be empty");
        }
        if (password.length() > PasswordPolicy.MAX_LENGTH) {
            throw AdminException.badRequest("the password is longer than " + PasswordPolicy.MAX_LENGTH + " characters");
        }
    }

    /** Runs an account change, turning the stores' refusals into statuses. */
    private static void change(Runnable action) {
        try {
            action.run();
        } catch (UnsupportedOperationException | IllegalStateException e) {
            throw new AdminException(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AdminException(409, e.getMessage());
        }
    }

    private static String readVersion() {
        try (InputStream in = AdminService.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
