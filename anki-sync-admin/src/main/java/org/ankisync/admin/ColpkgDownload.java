package org.ankisync.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ankisync.core.http.SyncReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A snapshot as a .colpkg reply, for the history page's link and the JSON endpoint. */
final class ColpkgDownload {
    private static final Logger LOG = LoggerFactory.getLogger(ColpkgDownload.class);
    private final AdminService service;
    private final AdminHistory history;

    ColpkgDownload(AdminService service, AdminHistory history) {
        this.service = service;
        this.history = history;
    }

    /** A snapshot as an Anki collection package, streamed from a temporary file that is deleted afterwards. */
    SyncReply colpkg(String user, String id) {
        service.user(user);
        Path file = history.export(user, id);
        try {
            long size = Files.size(file);
            String name = user + "-" + id + ".colpkg";
            Map<String, String> headers = Replies.headers("application/octet-stream", size);
            headers.put(
                    "Content-Disposition",
                    "attachment; filename=\"" + asciiFileName(name) + "\"; filename*=UTF-8''"
                            + UrlForm.encode(name).replace("+", "%20"));
            return SyncReply.of(200, headers, out -> Files.copy(file, out)).whenComplete(() -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("could not delete the export {}", file, e);
                }
            });
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the temporary folder is cleaned by the system in the end
            }
            throw new UncheckedIOException(e);
        }
    }

    private static String asciiFileName(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return b.toString();
    }
}
