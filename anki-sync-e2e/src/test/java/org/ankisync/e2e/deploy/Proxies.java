package org.ankisync.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ankisync.e2e.harness.Ports;

/**
 * Starts nginx, Caddy and Apache httpd with the configuration files shipped
 * in {@code deploy/}. Only the values every installation changes are
 * replaced; the wrapper around them (the parts of a main configuration an
 * installed package already has: pid file, logs, modules) is the test's own.
 * {@code edit} may change a shipped file further (to drop its body-size line).
 */
final class Proxies {
    /** The server address in the shipped files. */
    static final String SHIPPED_UPSTREAM = "127.0.0.1:27701";

    private Proxies() {}

    /** nginx with {@code nginx/anki.example.com.conf}: the endpoint is {@code https://localhost:PORT/}. */
    static TlsProxy nginx(Path folder, int serverPort, TestCa ca, UnaryOperator<ShippedConfig> editSnippet) {
        int port = Ports.free();
        Path snippet = editSnippet
                .apply(ShippedConfig.of("nginx/ankisyncd-proxy.conf"))
                .writeTo(folder.resolve("snippets/ankisyncd-proxy.conf"));
        Path site = ShippedConfig.of("nginx/anki.example.com.conf")
                .replace("listen 443 ssl;", "listen 127.0.0.1:" + port + " ssl;")
                .replace("server_name anki.example.com;", "server_name localhost;")
                .replace(
                        "/etc/letsencrypt/live/anki.example.com/fullchain.pem",
                        ca.serverCertificate().toString())
                .replace(
                        "/etc/letsencrypt/live/anki.example.com/privkey.pem",
                        ca.serverKey().toString())
                .replace(SHIPPED_UPSTREAM, "127.0.0.1:" + serverPort)
                .replace("/etc/nginx/snippets/ankisyncd-proxy.conf", snippet.toString())
                .writeTo(folder.resolve("sites/anki.conf"));
        return startNginx(folder, "include " + site + ";", port, "https://localhost:" + port + "/", ca);
    }

    /**
     * nginx with {@code nginx/anki-under-prefix.conf} pasted into a TLS server
     * block: the endpoint is {@code https://localhost:PORT/anki/}.
     */
    static TlsProxy nginxUnderPrefix(Path folder, int serverPort, TestCa ca) {
        int port = Ports.free();
        Path snippet =
                ShippedConfig.of("nginx/ankisyncd-proxy.conf").writeTo(folder.resolve("snippets/ankisyncd-proxy.conf"));
        Path locations = ShippedConfig.of("nginx/anki-under-prefix.conf")
                .replace(SHIPPED_UPSTREAM, "127.0.0.1:" + serverPort)
                .replace("/etc/nginx/snippets/ankisyncd-proxy.conf", snippet.toString())
                .writeTo(folder.resolve("sites/anki-locations.conf"));
        String server = "server {\n"
                + "    listen 127.0.0.1:" + port + " ssl;\n"
                + "    server_name localhost;\n"
                + "    ssl_certificate " + ca.serverCertificate() + ";\n"
                + "    ssl_certificate_key " + ca.serverKey() + ";\n"
                + "    location / { return 404; }   # the rest of someone's site\n"
                + "    include " + locations + ";\n"
                + "}\n";
        return startNginx(folder, server, port, "https://localhost:" + port + "/anki/", ca);
    }

    private static TlsProxy startNginx(Path folder, String httpBody, int port, String endpoint, TestCa ca) {
        // The parts of /etc/nginx/nginx.conf a site needs, with every path in the test's folder.
        // Workers run as root so that they can use the test's private temporary folder.
        String main = "user root;\n"
                + "worker_processes 1;\n"
                + "pid " + folder.resolve("nginx.pid") + ";\n"
                + "error_log " + folder.resolve("error.log") + " info;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "    access_log " + folder.resolve("access.log") + ";\n"
                + "    client_body_temp_path " + folder.resolve("tmp-body") + ";\n"
                + "    proxy_temp_path " + folder.resolve("tmp-proxy") + ";\n"
                + "    fastcgi_temp_path " + folder.resolve("tmp-fastcgi") + ";\n"
                + "    uwsgi_temp_path " + folder.resolve("tmp-uwsgi") + ";\n"
                + "    scgi_temp_path " + folder.resolve("tmp-scgi") + ";\n"
                + "    " + httpBody + "\n"
                + "}\n";
        Path conf = write(folder.resolve("nginx.conf"), main);
        Processes.run(folder, "/usr/sbin/nginx", "-t", "-p", folder.toString(), "-c", conf.toString());
        return TlsProxy.start(
                "nginx",
                List.of("/usr/sbin/nginx", "-p", folder.toString(), "-c", conf.toString(), "-g", "daemon off;"),
                Map.of(),
                folder,
                endpoint,
                ca);
    }

    /** Caddy with {@code caddy/Caddyfile}: the endpoint is {@code https://localhost:PORT/}, or {@code .../anki/}. */
    static TlsProxy caddy(
            Path folder, int serverPort, TestCa ca, boolean underPrefix, UnaryOperator<ShippedConfig> edit) {
        int port = Ports.free();
        String site = edit.apply(ShippedConfig.of("caddy/Caddyfile"))
                .replace("anki.example.com {", "localhost:" + port + " {")
                .replace(
                        "# tls /etc/caddy/anki.example.com.pem /etc/caddy/anki.example.com-key.pem",
                        "tls " + ca.serverCertificate() + " " + ca.serverKey())
                .replace(SHIPPED_UPSTREAM, "127.0.0.1:" + serverPort)
                .text();
        // Global options an installed Caddy would not need: no admin API or
        // redirect listener that could collide with other tests, state in the test's folder.
        String global = "{\n"
                + "\tadmin off\n"
                + "\tdefault_bind 127.0.0.1\n"
                + "\thttp_port " + Ports.free() + "\n"
                + "\tauto_https disable_redirects\n"
                + "\tskip_install_trust\n"
                + "\tstorage file_system " + folder.resolve("data") + "\n"
                + "}\n\n";
        Path caddyfile = write(folder.resolve("Caddyfile"), global + site);
        Map<String, String> environment = Map.of(
                "HOME",
                folder.toString(),
                "XDG_DATA_HOME",
                folder.resolve("data").toString(),
                "XDG_CONFIG_HOME",
                folder.resolve("config").toString());
        return TlsProxy.start(
                "caddy",
                List.of("/usr/bin/caddy", "run", "--config", caddyfile.toString(), "--adapter", "caddyfile"),
                environment,
                folder,
                "https://localhost:" + port + (underPrefix ? "/anki/" : "/"),
                ca);
    }

    /**
     * Apache httpd with {@code apache/ankisyncd.conf}: the endpoint is
     * {@code https://localhost:PORT/}, or {@code .../anki/} with the same file.
     */
    static TlsProxy apache(Path folder, int serverPort, TestCa ca, boolean underPrefix) {
        int port = Ports.free();
        Path site = ShippedConfig.of("apache/ankisyncd.conf")
                .replace("<VirtualHost *:443>", "<VirtualHost 127.0.0.1:" + port + ">")
                .replace("ServerName anki.example.com", "ServerName localhost")
                .replace(
                        "/etc/letsencrypt/live/anki.example.com/fullchain.pem",
                        ca.serverCertificate().toString())
                .replace(
                        "/etc/letsencrypt/live/anki.example.com/privkey.pem",
                        ca.serverKey().toString())
                .replace(SHIPPED_UPSTREAM, "127.0.0.1:" + serverPort)
                .writeTo(folder.resolve("sites/ankisyncd.conf"));
        // What Debian's apache2.conf and a2enmod would provide, with the test's paths.
        String modules = "/usr/lib/apache2/modules/";
        StringBuilder main = new StringBuilder()
                .append("ServerRoot /etc/apache2\n")
                .append("DefaultRuntimeDir ")
                .append(folder.resolve("run"))
                .append('\n')
                .append("PidFile ")
                .append(folder.resolve("httpd.pid"))
                .append('\n')
                .append("ErrorLog ")
                .append(folder.resolve("error.log"))
                .append('\n')
                .append("LogLevel warn\n")
                .append("User www-data\nGroup www-data\n")
                .append("Listen 127.0.0.1:")
                .append(port)
                .append('\n');
        for (String module : List.of(
                "mpm_event", "authz_core", "alias", "env", "headers", "socache_shmcb", "ssl", "proxy", "proxy_http")) {
            main.append("LoadModule ")
                    .append(module)
                    .append("_module ")
                    .append(modules)
                    .append("mod_")
                    .append(module)
                    .append(".so\n");
        }
        main.append("Include ").append(site).append('\n');
        try {
            Files.createDirectories(folder.resolve("run"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path conf = write(folder.resolve("httpd.conf"), main.toString());
        Processes.run(folder, "/usr/sbin/apache2", "-t", "-f", conf.toString());
        return TlsProxy.start(
                "apache",
                List.of("/usr/sbin/apache2", "-f", conf.toString(), "-DFOREGROUND"),
                Map.of(),
                folder,
                "https://localhost:" + port + (underPrefix ? "/anki/" : "/"),
                ca);
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
