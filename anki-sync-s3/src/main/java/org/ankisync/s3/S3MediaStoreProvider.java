package org.ankisync.s3;

import java.util.Map;
import org.ankisync.media.store.MediaStore;
import org.ankisync.media.store.MediaStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code ANKISYNCD_MEDIA_STORE=s3}: media files as objects in an S3-compatible bucket. */
public final class S3MediaStoreProvider implements MediaStoreProvider {
    private static final Logger LOG = LoggerFactory.getLogger(S3MediaStoreProvider.class);

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public MediaStore.Factory create(Map<String, String> settings) {
        S3Settings s3 = S3Settings.fromSettings(settings);
        S3Client client = S3Clients.create(s3);
        LOG.info("media files in S3: {}", s3);
        return (username, userFolder) ->
                new S3MediaStore(client, s3.bucket(), new S3Keys(s3.prefix(), username), userFolder);
    }
}
