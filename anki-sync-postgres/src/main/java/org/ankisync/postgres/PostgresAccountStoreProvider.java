package org.ankisync.postgres;

import org.ankisync.auth.AccountStore;
import org.ankisync.auth.AccountStoreProvider;

/**
 * {@code ANKISYNCD_AUTH_STORE=postgres}: found with {@link java.util.ServiceLoader}
 * when this module is on the class path (the launcher jar and the WAR carry it),
 * configured by {@link DatabaseSettings}.
 */
public final class PostgresAccountStoreProvider implements AccountStoreProvider {
    public static final String NAME = "postgres";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AccountStore open(Context context) {
        return PostgresAccountStore.open(
                DatabaseSettings.fromSettings(context.settings()),
                context.clock(),
                context.hashing(),
                context.credentials());
    }
}
