package org.ankisync.admin;

import static org.ankisync.admin.Html.bytes;
import static org.ankisync.admin.Html.dash;
import static org.ankisync.admin.Html.esc;
import static org.ankisync.admin.Html.timeElement;

import java.util.List;
import java.util.Optional;
import org.ankisync.auth.HostKeyRecord;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.media.trash.MediaTrash;

/**
 * The HTML of each admin page: plain server-rendered markup, no script. Links
 * and form actions are relative and every page sits one level below the admin
 * base, so the same markup works on its own port, under a path of the sync
 * port, and in the WAR.
 */
final class Pages {
    /** The sections, in navigation order: path, label. */
    private static final String[][] NAV = {
        {"./", "Overview"}, {"users", "Users"}, {"devices", "Devices"}, {"history", "History"}, {"log", "Log"},
    };

    private Pages() {}

    static String login(String loginToken, String error) {
        StringBuilder b = new StringBuilder();
        b.append("<main id=\"main\" class=\"narrow\"><h1>ankisyncd admin</h1>");
        alert(b, error);
        b.append("<form method=\"post\" action=\"login\">")
                .append(csrf(loginToken))
                .append("<label for=\"password\">Admin password</label>")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\""
                        + " required autofocus>")
                .append("<button type=\"submit\">Log in</button></form></main>");
        return document("Log in", b.toString(), "");
    }

    static String overview(AdminService.Overview o, String csrfToken) {
        StringBuilder b = new StringBuilder("<h1>Overview</h1><dl class=\"facts\">");
        fact(b, "Users", Integer.toString(o.users()), "users");
        fact(b, "Devices", Integer.toString(o.devices()), "devices");
        fact(b, "Syncs today", Long.toString(o.syncsToday()), "syncs-today");
        fact(b, "Errors today", Long.toString(o.errorsToday()), "errors-today");
        fact(b, "Disk used", bytes(o.diskUsed()), "disk-used");
        fact(b, "Disk free", bytes(o.diskFree()), "disk-free");
        fact(b, "Version", o.version(), "version");
        fact(b, "Uptime", Html.duration(o.uptime()), "uptime");
        fact(b, "Readiness", o.ready() ? "ready" : "not ready: " + o.readiness(), "readiness");
        b.append("</dl>");
        return layout("Overview", "./", csrfToken, b.toString());
    }

    /** The overview's users table: last sync and client version per user. */
    static String overviewWithUsers(AdminService.Overview o, List<AdminService.UserRow> users, String csrfToken) {
        String page = overview(o, csrfToken);
        StringBuilder b = new StringBuilder("<h2 id=\"last-syncs\">Last syncs</h2>");
        table(b, "last-syncs", new String[] {"User", "Last sync", "Client version", "From"});
        for (AdminService.UserRow u : users) {
            b.append("<tr><th scope=\"row\">").append(esc(u.name())).append("</th>");
            lastSyncCells(b, u.lastSync());
            b.append("</tr>");
        }
        endTable(b, users.isEmpty(), 4);
        return page.replace("</main>", b + "</main>");
    }

    static String users(
            List<AdminService.UserRow> users, boolean writable, String csrfToken, String message, String error) {
        StringBuilder b = new StringBuilder("<h1>Users</h1>");
        notice(b, message);
        alert(b, error);
        table(b, "users", new String[] {
            "User",
            "Collection",
            "Notes",
            "Cards",
            "Reviews",
            "Media files",
            "Media size",
            "Last sync",
            "Client version",
            "From",
            "Devices"
        });
        for (AdminService.UserRow u : users) {
            UserStats.Stats s = u.stats();
            b.append("<tr><th scope=\"row\">")
                    .append(esc(u.name()))
                    .append(u.fromEnvironment() ? " <small>(SYNC_USERn)</small>" : "")
                    .append("</th>")
                    .append("<td>")
                    .append(bytes(s.collectionBytes()))
                    .append("</td>")
                    .append("<td>")
                    .append(s.counts().map(c -> Long.toString(c.notes())).orElse("-"))
                    .append("</td>")
                    .append("<td>")
                    .append(s.counts().map(c -> Long.toString(c.cards())).orElse("-"))
                    .append("</td>")
                    .append("<td>")
                    .append(s.counts().map(c -> Long.toString(c.revlog())).orElse("-"))
                    .append("</td>")
                    .append("<td>")
                    .append(s.mediaFiles())
                    .append("</td>")
                    .append("<td>")
                    .append(bytes(s.mediaBytes()))
                    .append("</td>");
            lastSyncCells(b, u.lastSync());
            b.append("<td><a href=\"devices?user=")
                    .append(esc(UrlForm.encode(u.name())))
                    .append("\">")
                    .append(u.devices())
                    .append("<span class=\"visually-hidden\"> devices of ")
                    .append(esc(u.name()))
                    .append("</span></a></td></tr>");
        }
        endTable(b, users.isEmpty(), 11);
        if (!writable) {
            b.append("<p>The user store is read-only (<code>env</code>): users come from <code>SYNC_USERn</code>.</p>");
            return layout("Users", "users", csrfToken, b.toString());
        }
        b.append("<div class=\"forms\">");
        b.append("<form method=\"post\" action=\"users\"><h2>Add a user</h2>")
                .append(csrf(csrfToken))
                .append("<input type=\"hidden\" name=\"action\" value=\"add\">")
                .append(field("add-name", "name", "Name", "text", "off"))
                .append(field("add-password", "password", "Password", "password", "new-password"))
                .append("<button type=\"submit\">Add user</button></form>");
        String options = userOptions(users, null);
        b.append("<form method=\"post\" action=\"users\"><h2>Change a password</h2>")
                .append(csrf(csrfToken))
                .append("<input type=\"hidden\" name=\"action\" value=\"passwd\">")
                .append("<label for=\"passwd-name\">User</label><select id=\"passwd-name\" name=\"name\" required>")
                .append(options)
                .append("</select>")
                .append(field("passwd-password", "password", "New password", "password", "new-password"))
                .append("<p class=\"hint\">The user's devices must log in again.</p>")
                .append("<button type=\"submit\">Change password</button></form>");
        b.append("<form method=\"post\" action=\"users\"><h2>Remove a user</h2>")
                .append(csrf(csrfToken))
                .append("<input type=\"hidden\" name=\"action\" value=\"remove\">")
                .append("<label for=\"remove-name\">User</label><select id=\"remove-name\" name=\"name\" required>")
                .append(options)
                .append("</select>")
                .append("<p class=\"hint\">Revokes their devices; their collection folder stays on disk.</p>")
                .append("<button type=\"submit\" class=\"danger\">Remove user</button></form>");
        b.append("</div>");
        return layout("Users", "users", csrfToken, b.toString());
    }

    static String devices(
            List<AdminService.UserRow> users,
            Optional<String> selected,
            List<HostKeyRecord> keys,
            String csrfToken,
            String message,
            String error) {
        StringBuilder b = new StringBuilder("<h1>Devices</h1>");
        notice(b, message);
        alert(b, error);
        b.append("<form method=\"get\" action=\"devices\" class=\"inline\">")
                .append("<label for=\"device-user\">User</label><select id=\"device-user\" name=\"user\">")
                .append(userOptions(users, selected.orElse(null)))
                .append("</select>")
                .append("<button type=\"submit\">Show devices</button></form>");
        if (selected.isEmpty()) {
            b.append("<p>Choose a user to see the devices logged in with their account.</p>");
            return layout("Devices", "devices", csrfToken, b.toString());
        }
        String user = selected.get();
        b.append("<h2>Devices of ").append(esc(user)).append("</h2>");
        table(b, "devices", new String[] {"Key", "Client version", "First use", "From", "Last use", "From", "Revoke"});
        for (HostKeyRecord k : keys) {
            b.append("<tr><th scope=\"row\">")
                    .append(k.id())
                    .append("</th>")
                    .append("<td>")
                    .append(dash(k.clientVersion()))
                    .append("</td>")
                    .append("<td>")
                    .append(timeElement(k.created()))
                    .append("</td>")
                    .append("<td>")
                    .append(dash(k.firstAddress()))
                    .append("</td>")
                    .append("<td>")
                    .append(timeElement(k.lastUsed()))
                    .append("</td>")
                    .append("<td>")
                    .append(dash(k.lastAddress()))
                    .append("</td>")
                    .append("<td><form method=\"post\" action=\"devices\">")
                    .append(csrf(csrfToken))
                    .append("<input type=\"hidden\" name=\"action\" value=\"revoke\">")
                    .append("<input type=\"hidden\" name=\"user\" value=\"")
                    .append(esc(user))
                    .append("\">")
                    .append("<input type=\"hidden\" name=\"id\" value=\"")
                    .append(k.id())
                    .append("\">")
                    .append("<button type=\"submit\" class=\"danger\" id=\"revoke-")
                    .append(k.id())
                    .append("\">Revoke<span class=\"visually-hidden\"> key ")
                    .append(k.id())
                    .append("</span></button></form></td></tr>");
        }
        endTable(b, keys.isEmpty(), 7);
        if (!keys.isEmpty()) {
            b.append("<form method=\"post\" action=\"devices\">")
                    .append(csrf(csrfToken))
                    .append("<input type=\"hidden\" name=\"action\" value=\"revoke-all\">")
                    .append("<input type=\"hidden\" name=\"user\" value=\"")
                    .append(esc(user))
                    .append("\">")
                    .append("<button type=\"submit\" class=\"danger\">Revoke all devices of ")
                    .append(esc(user))
                    .append("</button></form>");
        }
        b.append("<p class=\"hint\">A revoked device asks its user to log in again at its next sync. Devices of"
                + " <code>SYNC_USERn</code> users that still use the official server's key are not listed.</p>");
        return layout("Devices", "devices", csrfToken, b.toString());
    }

    static String history(
            List<AdminService.UserRow> users,
            Optional<String> selected,
            List<SnapshotInfo> snapshots,
            List<MediaTrash.Entry> trash,
            String csrfToken,
            String message,
            String error) {
        StringBuilder b = new StringBuilder("<h1>History</h1>");
        notice(b, message);
        alert(b, error);
        b.append("<form method=\"get\" action=\"history\" class=\"inline\">")
                .append("<label for=\"history-user\">User</label><select id=\"history-user\" name=\"user\">")
                .append(userOptions(users, selected.orElse(null)))
                .append("</select>")
                .append("<button type=\"submit\">Show history</button></form>");
        if (selected.isEmpty()) {
            b.append("<p>Choose a user to see their snapshots and deleted media files.</p>");
            return layout("History", "history", csrfToken, b.toString());
        }
        String user = selected.get();
        String hiddenUser = "<input type=\"hidden\" name=\"user\" value=\"" + esc(user) + "\">";
        b.append("<h2>Snapshots of ").append(esc(user)).append("</h2>");
        table(b, "snapshots", new String[] {
            "Snapshot", "Taken", "Reason", "Notes", "Cards", "Reviews", "Size", "Caused by", "Restore", "Download"
        });
        for (SnapshotInfo s : snapshots) {
            b.append("<tr><th scope=\"row\">")
                    .append(esc(s.id()))
                    .append("</th>")
                    .append("<td>")
                    .append(timeElement(s.time()))
                    .append("</td>")
                    .append("<td>")
                    .append(esc(s.reason()))
                    .append("</td>")
                    .append("<td>")
                    .append(s.notes())
                    .append("</td><td>")
                    .append(s.cards())
                    .append("</td><td>")
                    .append(s.revlog())
                    .append("</td><td>")
                    .append(bytes(s.collectionBytes()))
                    .append("</td>")
                    .append("<td>")
                    .append(dash(s.clientVersion()))
                    .append(" ")
                    .append(dash(s.address()))
                    .append("</td><td><form method=\"post\" action=\"history\">")
                    .append(csrf(csrfToken))
                    .append("<input type=\"hidden\" name=\"action\" value=\"restore\">")
                    .append(hiddenUser)
                    .append("<input type=\"hidden\" name=\"id\" value=\"")
                    .append(esc(s.id()))
                    .append("\">")
                    .append("<button type=\"submit\" class=\"danger\">Restore<span class=\"visually-hidden\"> ")
                    .append(esc(s.id()))
                    .append("</span></button></form></td>")
                    .append("<td><a href=\"download?user=")
                    .append(esc(UrlForm.encode(user)))
                    .append("&amp;id=")
                    .append(esc(UrlForm.encode(s.id())))
                    .append("\" download>.colpkg<span class=\"visually-hidden\"> of ")
                    .append(esc(s.id()))
                    .append("</span></a></td></tr>");
        }
        endTable(b, snapshots.isEmpty(), 10);
        b.append("<form method=\"post\" action=\"history\">")
                .append(csrf(csrfToken))
                .append("<input type=\"hidden\" name=\"action\" value=\"create\">")
                .append(hiddenUser)
                .append("<button type=\"submit\">Take a snapshot now</button></form>")
                .append("<p class=\"hint\">A restore first snapshots the current state (before-restore). Every"
                        + " device of the user is then offered the full-sync choice: choose Download there.</p>");
        b.append("<h2>Deleted media files</h2>");
        table(b, "trash", new String[] {"File", "Deleted", "Size", "Restore"});
        for (MediaTrash.Entry e : trash) {
            b.append("<tr><th scope=\"row\">")
                    .append(esc(e.name()))
                    .append("</th><td>")
                    .append(timeElement(e.deleted()))
                    .append("</td><td>")
                    .append(bytes(e.size()))
                    .append("</td>")
                    .append("<td><form method=\"post\" action=\"history\">")
                    .append(csrf(csrfToken))
                    .append("<input type=\"hidden\" name=\"action\" value=\"trash-restore\">")
                    .append(hiddenUser)
                    .append("<input type=\"hidden\" name=\"name\" value=\"")
                    .append(esc(e.name()))
                    .append("\">")
                    .append("<button type=\"submit\">Restore<span class=\"visually-hidden\"> ")
                    .append(esc(e.name()))
                    .append("</span></button></form></td></tr>");
        }
        endTable(b, trash.isEmpty(), 4);
        if (!trash.isEmpty()) {
            b.append("<form method=\"post\" action=\"history\">")
                    .append(csrf(csrfToken))
                    .append("<input type=\"hidden\" name=\"action\" value=\"trash-restore-all\">")
                    .append(hiddenUser)
                    .append("<button type=\"submit\">Restore all deleted media files</button>")
                    .append("</form>");
        }
        return layout("History", "history", csrfToken, b.toString());
    }

    static String log(List<ActivityLog.Event> events, String csrfToken) {
        StringBuilder b = new StringBuilder("<h1>Log</h1><p>Recent failed syncs and logins since the server"
                + " started, newest first (at most " + ActivityLog.CAPACITY + ").</p>");
        table(b, "log", new String[] {"Time", "Kind", "User", "From", "Detail"});
        for (ActivityLog.Event e : events) {
            b.append("<tr><td>")
                    .append(timeElement(e.at()))
                    .append("</td><td>")
                    .append(esc(e.kind()))
                    .append("</td><td>")
                    .append(dash(e.user()))
                    .append("</td><td>")
                    .append(dash(e.address()))
                    .append("</td><td>")
                    .append(dash(e.detail()))
                    .append("</td></tr>");
        }
        endTable(b, events.isEmpty(), 5);
        return layout("Log", "log", csrfToken, b.toString());
    }

    /** A page for an error outside a form (404, say). */
    static String error(String message, String csrfToken) {
        return layout("Error", "", csrfToken, "<h1>Error</h1><p role=\"alert\">" + esc(message) + "</p>");
    }

    private static void lastSyncCells(StringBuilder b, Optional<AdminService.LastSeen> last) {
        if (last.isEmpty()) {
            b.append("<td>never</td><td>-</td><td>-</td>");
            return;
        }
        AdminService.LastSeen s = last.get();
        b.append("<td>")
                .append(timeElement(s.at()))
                .append(s.sinceStart() ? "" : " <small>(last seen)</small>")
                .append("</td><td class=\"client-version\">")
                .append(dash(s.clientVersion()))
                .append("</td><td>")
                .append(dash(s.address()))
                .append("</td>");
    }

    private static void table(StringBuilder b, String id, String[] headers) {
        b.append("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"")
                .append(id)
                .append("-caption\"><table id=\"")
                .append(id)
                .append("-table\"><caption id=\"")
                .append(id)
                .append("-caption\">")
                .append(esc(captionOf(id)))
                .append("</caption><thead><tr>");
        for (String h : headers) {
            b.append("<th scope=\"col\">").append(esc(h)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
    }

    private static String captionOf(String id) {
        return switch (id) {
            case "users" -> "Users and their data";
            case "devices" -> "Logged-in devices";
            case "log" -> "Recent failures";
            case "last-syncs" -> "Last sync of each user";
            case "snapshots" -> "Snapshots, newest first";
            case "trash" -> "Media files deleted by syncs, newest first";
            default -> id;
        };
    }

    private static void endTable(StringBuilder b, boolean empty, int columns) {
        if (empty) {
            b.append("<tr><td colspan=\"").append(columns).append("\">none</td></tr>");
        }
        b.append("</tbody></table></div>");
    }

    private static void fact(StringBuilder b, String label, String value, String id) {
        b.append("<div><dt>")
                .append(esc(label))
                .append("</dt><dd id=\"")
                .append(id)
                .append("\">")
                .append(esc(value))
                .append("</dd></div>");
    }

    private static String field(String id, String name, String label, String type, String autocomplete) {
        return "<label for=\"" + id + "\">" + esc(label) + "</label><input id=\"" + id + "\" name=\"" + name
                + "\" type=\"" + type + "\" autocomplete=\"" + autocomplete + "\" required>";
    }

    private static String userOptions(List<AdminService.UserRow> users, String selected) {
        StringBuilder b = new StringBuilder();
        for (AdminService.UserRow u : users) {
            b.append("<option value=\"")
                    .append(esc(u.name()))
                    .append("\"")
                    .append(u.name().equals(selected) ? " selected" : "")
                    .append(">")
                    .append(esc(u.name()))
                    .append("</option>");
        }
        return b.toString();
    }

    static String csrf(String token) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) + "\">";
    }

    private static void notice(StringBuilder b, String message) {
        if (message != null) {
            b.append("<p class=\"notice\" role=\"status\">")
                    .append(esc(message))
                    .append("</p>");
        }
    }

    private static void alert(StringBuilder b, String error) {
        if (error != null) {
            b.append("<p class=\"error\" role=\"alert\">").append(esc(error)).append("</p>");
        }
    }

    private static String layout(String title, String current, String csrfToken, String main) {
        StringBuilder b = new StringBuilder("<header><nav aria-label=\"Admin sections\"><ul>");
        for (String[] item : NAV) {
            b.append("<li><a href=\"")
                    .append(item[0])
                    .append("\"")
                    .append(item[0].equals(current) ? " aria-current=\"page\"" : "")
                    .append(">")
                    .append(item[1])
                    .append("</a></li>");
        }
        b.append("</ul></nav><form method=\"post\" action=\"logout\" class=\"logout\">")
                .append(csrf(csrfToken))
                .append("<button type=\"submit\">Log out</button></form></header>")
                .append("<main id=\"main\">")
                .append(main)
                .append("</main>");
        return document(title, b.toString(), "<a class=\"skip\" href=\"#main\">Skip to content</a>");
    }

    private static String document(String title, String body, String before) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " - ankisyncd admin</title>"
                + "<link rel=\"stylesheet\" href=\"static/admin.css\"></head><body>" + before + body + "</body></html>";
    }
}
