package org.ankisync.examples.servletinapp;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ankisync.servlet.SyncServlet;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * An existing web application at {@code /app} (its own servlet stands for
 * everything it already does) that also serves Anki sync under the sub-path
 * {@code /anki/}: clients use {@code http://host:port/app/anki/}.
 */
public final class ExistingApp {
    private ExistingApp() {}

    /** What the application did before: answers {@code GET /app/hello}. */
    public static final class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("hello from the existing application");
        }
    }

    /**
     * The whole integration: register {@link SyncServlet} under a sub-path. It
     * reads its settings (ANKISYNCD_COLLECTIONS_PATH, SYNC_USER1, ...) from the
     * application's context parameters, JNDI entries or environment, and rolls
     * back running syncs when the application stops. Works in any Servlet 6
     * container; in a WAR, declare the listener in web.xml (or annotate it
     * {@code @WebListener}).
     */
    public static final class AnkiSyncRegistration implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletRegistration.Dynamic sync = event.getServletContext().addServlet("anki-sync", SyncServlet.class);
            sync.addMapping("/anki/*");
            sync.setLoadOnStartup(1);
        }
    }

    /** Starts the application in an embedded Tomcat on {@code 127.0.0.1:port} (0: any free port). */
    public static Tomcat start(int port, Path workDir, Map<String, String> contextParameters)
            throws LifecycleException, IOException {
        Files.createDirectories(workDir);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(workDir.toAbsolutePath().toString());
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context app = tomcat.addContext("/app", workDir.toAbsolutePath().toString());
        contextParameters.forEach(app::addParameter);
        Tomcat.addServlet(app, "hello", new HelloServlet()).addMapping("/hello");
        app.addApplicationListener(AnkiSyncRegistration.class.getName());
        tomcat.start();
        return tomcat;
    }

    /** {@code SYNC_USER1=me:secret ANKISYNCD_COLLECTIONS_PATH=/srv/anki java ... ExistingApp}. */
    public static void main(String[] args) throws Exception {
        Tomcat tomcat = start(8080, Path.of("tomcat-work"), Map.of());
        System.out.println(
                "sync endpoint: http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app/anki/");
        tomcat.getServer().await();
    }
}
