package org.ankisync.admin;

import java.time.Clock;
import java.util.Optional;
import org.ankisync.auth.Accounts;
import org.ankisync.auth.LoginThrottler;
import org.ankisync.core.config.AuthSettings;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.history.UserHistory;
import org.ankisync.media.MediaSyncService;

/**
 * Wires the admin area from the configuration, for the launcher and the WAR
 * alike: empty when no admin password is configured (the area then does not
 * exist and its URLs answer 404).
 */
public final class AdminArea {
    private AdminArea() {}

    /**
     * @param activity the same log the {@code SyncServer} reports to ({@code SyncServer.Builder.activity})
     */
    public static Optional<AdminHandler> create(
            ServerConfig config, AdminSettings settings, Accounts accounts, ActivityLog activity, Clock clock) {
        return create(
                config,
                settings,
                accounts,
                activity,
                MediaSyncService.onFileSystem(config.collectionsPath(), config.history()),
                clock);
    }

    /**
     * As above, with the media service the sync routes use (its store, e.g. S3), so a media trash
     * restore from the admin pages puts files back where devices download them.
     */
    public static Optional<AdminHandler> create(
            ServerConfig config,
            AdminSettings settings,
            Accounts accounts,
            ActivityLog activity,
            MediaSyncService media,
            Clock clock) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        AuthSettings auth = config.auth();
        // A throttle of its own, with the client logins' settings: admin guesses never lock out a sync user.
        LoginThrottler throttle =
                new LoginThrottler(auth.loginMaxFailures(), auth.loginDelay(), auth.loginMaxDelay(), clock);
        AdminService service = new AdminService(accounts, activity, config.collectionsPath());
        AdminHistory history =
                new AdminHistory(new UserHistory(config.collectionsPath(), config.history(), clock), media);
        return Optional.of(
                new AdminHandler(settings, service, history, throttle, activity, auth.trustedProxies(), clock));
    }
}
