package org.ankisync.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.ankisync.auth.HostKeyRecord;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.media.trash.MediaTrash;

/** The JSON form of the admin views (README, "Admin JSON endpoints"): times as ISO-8601 UTC, sizes in bytes. */
final class AdminJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {}

    static ObjectNode overview(AdminService.Overview o) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("users", o.users());
        n.put("devices", o.devices());
        n.put("syncsToday", o.syncsToday());
        n.put("errorsToday", o.errorsToday());
        n.put("diskUsedBytes", o.diskUsed());
        n.put("diskFreeBytes", o.diskFree());
        n.put("version", o.version());
        n.put("uptimeSeconds", o.uptime().toSeconds());
        n.put("ready", o.ready());
        n.put("readiness", o.readiness());
        return n;
    }

    static ArrayNode users(List<AdminService.UserRow> rows) {
        ArrayNode a = MAPPER.createArrayNode();
        rows.forEach(r -> a.add(user(r)));
        return a;
    }

    static ObjectNode user(AdminService.UserRow r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", r.name());
        n.put("fromEnvironment", r.fromEnvironment());
        UserStats.Stats s = r.stats();
        n.put("collectionBytes", s.collectionBytes());
        s.counts()
                .ifPresentOrElse(
                        c -> {
                            n.put("notes", c.notes());
                            n.put("cards", c.cards());
                            n.put("revlog", c.revlog());
                        },
                        () -> {
                            n.putNull("notes");
                            n.putNull("cards");
                            n.putNull("revlog");
                        });
        n.put("mediaFiles", s.mediaFiles());
        n.put("mediaBytes", s.mediaBytes());
        n.put("folderBytes", s.folderBytes());
        n.put("devices", r.devices());
        r.lastSync()
                .ifPresentOrElse(
                        l -> {
                            ObjectNode last = n.putObject("lastSync");
                            last.put("at", time(l.at()));
                            last.put("clientVersion", l.clientVersion());
                            last.put("address", l.address());
                            last.put("sinceStart", l.sinceStart());
                        },
                        () -> n.putNull("lastSync"));
        return n;
    }

    static ArrayNode devices(List<HostKeyRecord> keys) {
        ArrayNode a = MAPPER.createArrayNode();
        for (HostKeyRecord k : keys) {
            ObjectNode n = a.addObject();
            n.put("id", k.id());
            n.put("user", k.user());
            n.put("clientVersion", k.clientVersion());
            n.put("firstUse", time(k.created()));
            n.put("firstAddress", k.firstAddress());
            n.put("lastUse", time(k.lastUsed()));
            n.put("lastAddress", k.lastAddress());
        }
        return a;
    }

    static ObjectNode snapshot(SnapshotInfo s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", s.id());
        n.put("time", time(s.time()));
        n.put("reason", s.reason());
        n.put("clientVersion", s.clientVersion());
        n.put("address", s.address());
        n.put("notes", s.notes());
        n.put("cards", s.cards());
        n.put("revlog", s.revlog());
        n.put("collectionBytes", s.collectionBytes());
        n.put("storedBytes", s.storedBytes());
        return n;
    }

    static ArrayNode snapshots(List<SnapshotInfo> list) {
        ArrayNode a = MAPPER.createArrayNode();
        list.forEach(s -> a.add(snapshot(s)));
        return a;
    }

    static ArrayNode trash(List<MediaTrash.Entry> entries) {
        ArrayNode a = MAPPER.createArrayNode();
        for (MediaTrash.Entry e : entries) {
            a.addObject()
                    .put("name", e.name())
                    .put("deleted", time(e.deleted()))
                    .put("size", e.size());
        }
        return a;
    }

    static ArrayNode log(List<ActivityLog.Event> events) {
        ArrayNode a = MAPPER.createArrayNode();
        for (ActivityLog.Event e : events) {
            ObjectNode n = a.addObject();
            n.put("at", time(e.at()));
            n.put("kind", e.kind());
            n.put("user", e.user());
            n.put("address", e.address());
            n.put("detail", e.detail());
        }
        return a;
    }

    static ObjectNode message(String key, String value) {
        return MAPPER.createObjectNode().put(key, value);
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
