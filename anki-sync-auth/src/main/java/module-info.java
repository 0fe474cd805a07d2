/**
 * Accounts: user stores, password hashing, host keys, login throttling.
 *
 * <p>API (exported): {@code org.ankisync.auth}, the module's only package. A package
 * added later stays internal until it is listed here.
 */
module org.ankisync.auth {
    requires transitive org.ankisync.core;
    requires org.xerial.sqlitejdbc;

    exports org.ankisync.auth;

    // Plug-in user stores: a jar on the class path (META-INF/services) or a module that provides one.
    uses org.ankisync.auth.UserStoreProvider;
}
