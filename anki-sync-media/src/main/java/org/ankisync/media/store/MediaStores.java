package org.ankisync.media.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.ankisync.core.config.ConfigException;

/** Chooses the media store from the settings: {@code ANKISYNCD_MEDIA_STORE}, the file system by default. */
public final class MediaStores {
    public static final String MEDIA_STORE = "ANKISYNCD_MEDIA_STORE";
    /** The built-in store: {@code <user>/media/} on local disk. */
    public static final String FILESYSTEM = "filesystem";

    private MediaStores() {}

    /** The factory of per-user stores that the settings select. */
    public static MediaStore.Factory fromSettings(Map<String, String> settings) {
        String wanted = settings.getOrDefault(MEDIA_STORE, FILESYSTEM).trim().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty() || wanted.equals(FILESYSTEM)) {
            return FileSystemMediaStore.FACTORY;
        }
        List<String> known = new ArrayList<>(List.of(FILESYSTEM));
        for (MediaStoreProvider provider :
                ServiceLoader.load(MediaStoreProvider.class, MediaStores.class.getClassLoader())) {
            if (provider.name().equals(wanted)) {
                return provider.create(settings);
            }
            known.add(provider.name());
        }
        throw new ConfigException(MEDIA_STORE + " must be one of " + known + ", got '" + wanted + "'");
    }
}
