/**
 * The sync protocol, free of any HTTP framework.
 *
 * <p>API (exported): {@code org.ankisync.core} (the entry point {@code SyncServer}),
 * {@code .auth}, {@code .cluster} (the builder takes a {@code PlacementGate}), {@code .config},
 * {@code .http}, {@code .ops}, {@code .activity}, {@code .history} and {@code .media} (the
 * interfaces the media module implements).
 * {@code .framing} is exported for the media module and the HTTP adapters, not as a
 * stable API. Internal: {@code .collection}, {@code .storage} and below ({@code .storage}
 * is exported to the media module only). A package added later stays internal until it is
 * listed here.
 */
// "module": the media module, named in a qualified export below, is not there while the core compiles.
@SuppressWarnings("module")
module org.ankisync.core {
    requires transitive java.sql;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive org.slf4j;
    requires org.xerial.sqlitejdbc;
    requires com.github.luben.zstd_jni;
    requires com.google.protobuf;

    exports org.ankisync.core;
    exports org.ankisync.core.activity;
    exports org.ankisync.core.auth;
    exports org.ankisync.core.cluster;
    exports org.ankisync.core.config;
    exports org.ankisync.core.framing;
    exports org.ankisync.core.history;
    exports org.ankisync.core.http;
    exports org.ankisync.core.media;
    exports org.ankisync.core.ops;
    // Internal, but the media module shares the per-user folder layout (UserFolders).
    exports org.ankisync.core.storage to
            org.ankisync.media;

    // Jackson writes the replies' value classes; protobuf reads the generated messages reflectively.
    opens org.ankisync.core to
            com.fasterxml.jackson.databind;
    opens org.ankisync.core.collection to
            com.fasterxml.jackson.databind;
    opens org.ankisync.core.storage.schema18.proto to
            com.google.protobuf;
}
