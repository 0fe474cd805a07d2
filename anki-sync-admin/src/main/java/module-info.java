/**
 * The admin pages and their JSON endpoints, HTTP-neutral like the core.
 *
 * <p>API (exported): {@code org.ankisync.admin}, the module's only package. A package
 * added later stays internal until it is listed here.
 */
module org.ankisync.admin {
    requires transitive org.ankisync.core;
    requires transitive org.ankisync.auth;
    requires transitive org.ankisync.media;
    requires org.xerial.sqlitejdbc;

    exports org.ankisync.admin;
}
