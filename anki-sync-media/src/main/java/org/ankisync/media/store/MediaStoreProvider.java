package org.ankisync.media.store;

import java.util.Map;

/**
 * A media store other than the built-in file system one, found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services} entry in its
 * jar) and chosen by {@code ANKISYNCD_MEDIA_STORE=<name>}. The S3 store of
 * {@code anki-sync-s3} is one.
 */
public interface MediaStoreProvider {

    /** The value of {@code ANKISYNCD_MEDIA_STORE} that selects this store, e.g. {@code s3}. */
    String name();

    /**
     * Reads the store's own settings (environment over the configuration file)
     * and returns the factory of per-user stores. Called once per process.
     *
     * @throws org.ankisync.core.config.ConfigException with a one-line reason if a setting is wrong
     */
    MediaStore.Factory create(Map<String, String> settings);
}
