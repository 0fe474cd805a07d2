package org.ankisync.media.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The media store contract on local disk, plus where its files live. */
class FileSystemMediaStoreTest extends MediaStoreContract {
    @Override
    protected MediaStore.Factory factory() {
        return FileSystemMediaStore.FACTORY;
    }

    @Test
    void filesAreFlatInTheUsersMediaFolder() throws IOException {
        MediaStore store = store("carol");
        store.put("x.png", new ByteArrayInputStream(new byte[] {1, 2}));
        assertEquals(2, Files.size(userFolder("carol").resolve("media").resolve("x.png")));
    }
}
