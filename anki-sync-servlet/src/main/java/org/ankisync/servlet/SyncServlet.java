package org.ankisync.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.http.HttpResponseSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync protocol as a Jakarta servlet. Map it to {@code /*} (the WAR does)
 * or to a sub-path such as {@code /anki/*}; the endpoint to give clients is
 * then the URL of that mapping with a trailing slash, for example
 * {@code http://host:8080/anki/}.
 *
 * <p>Two ways to make one:
 * <ul>
 *   <li>{@link #SyncServlet()}, as the WAR's {@code web.xml} does: the servlet
 *       reads its settings ({@link ServletSettings}) in {@link #init()}, wires
 *       the server ({@link ServletWiring}) and closes it again on undeploy;</li>
 *   <li>{@link #SyncServlet(SyncServer)}, for an application that builds its own
 *       {@link SyncServer}; closing that server stays the application's job.</li>
 * </ul>
 * Like every adapter it only copies the request into a call and the reply back:
 * bodies stream through the servlet streams, nothing is buffered here.
 */
public class SyncServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SyncServlet.class);

    private transient SyncServer server;
    private final boolean ownsServer;

    /** Builds its server from the deployment's settings when the container initialises it. */
    public SyncServlet() {
        this.ownsServer = true;
    }

    /** Serves an already built server; the caller closes it. */
    public SyncServlet(SyncServer server) {
        if (server == null) {
            throw new IllegalArgumentException("server");
        }
        this.server = server;
        this.ownsServer = false;
    }

    @Override
    public void init() throws ServletException {
        if (!ownsServer) {
            return;
        }
        try {
            Map<String, String> settings = ServletSettings.read(getServletContext());
            ServerConfig config = ServerConfig.load(settings);
            ServletWiring.configureLogging(config.logLevel());
            ServletWiring.Wired wired = ServletWiring.wire(config, settings);
            server = wired.sync();
            // The admin servlet of the same application (web.xml maps it to /admin/*) finds its handler here.
            wired.admin().ifPresent(admin -> getServletContext().setAttribute(AdminServlet.ATTRIBUTE, admin));
            LOG.info(
                    "serving sync under {} with collections in {}",
                    basePath(),
                    config.collectionsPath().toAbsolutePath().normalize());
        } catch (ConfigException | IllegalArgumentException e) {
            getServletContext().log("ankisyncd: " + e.getMessage());
            throw new ServletException("ankisyncd: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ServletException("ankisyncd: cannot start: " + e.getMessage(), e);
        }
    }

    /** The path clients resolve {@code sync/...} against: context path plus mapping, e.g. {@code /anki/}. */
    private String basePath() {
        String mapping = "/*";
        ServletRegistration registration = getServletContext().getServletRegistration(getServletName());
        if (registration != null && !registration.getMappings().isEmpty()) {
            mapping = registration.getMappings().iterator().next();
        }
        String prefix = mapping.endsWith("/*") ? mapping.substring(0, mapping.length() - 2) : "";
        return getServletContext().getContextPath() + prefix + "/";
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        server.serve(new ServletCall(request), new HttpResponseSink() {
            @Override
            public void status(int status) {
                response.setStatus(status);
            }

            @Override
            public void header(String name, String value) {
                response.setHeader(name, value);
            }

            @Override
            public OutputStream body() throws IOException {
                return response.getOutputStream();
            }
        });
    }

    /** On undeploy: running sync sessions are rolled back and their collections closed. */
    @Override
    public void destroy() {
        if (ownsServer && server != null) {
            getServletContext().removeAttribute(AdminServlet.ATTRIBUTE);
            server.close();
            ServletWiring.releaseDrivers(getServletContext().getClassLoader());
            LOG.info("sync stopped; running sessions rolled back");
            server = null;
        }
    }
}
