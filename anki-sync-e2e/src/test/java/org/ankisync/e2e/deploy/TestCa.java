package org.ankisync.e2e.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made for one test run with Debian's openssl, and a
 * server certificate it signed for {@code localhost} and {@code 127.0.0.1}.
 * The official client trusts it through {@code SSL_CERT_FILE}.
 */
record TestCa(Path caCertificate, Path serverCertificate, Path serverKey) {

    static TestCa create(Path folder) {
        try {
            Files.createDirectories(folder);
            Path caKey = folder.resolve("ca-key.pem");
            Path caCert = folder.resolve("ca.pem");
            Path key = folder.resolve("server-key.pem");
            Path csr = folder.resolve("server.csr");
            Path cert = folder.resolve("server.pem");
            Path ext = folder.resolve("server.ext");
            Files.writeString(
                    ext,
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                            + "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                            + "extendedKeyUsage=serverAuth\n");
            Processes.run(
                    folder,
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    caKey.toString(),
                    "-out",
                    caCert.toString(),
                    "-days",
                    "2",
                    "-subj",
                    "/CN=ankisyncd test CA",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign");
            Processes.run(
                    folder,
                    "openssl",
                    "req",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    key.toString(),
                    "-out",
                    csr.toString(),
                    "-subj",
                    "/CN=localhost");
            Processes.run(
                    folder,
                    "openssl",
                    "x509",
                    "-req",
                    "-in",
                    csr.toString(),
                    "-CA",
                    caCert.toString(),
                    "-CAkey",
                    caKey.toString(),
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    ext.toString(),
                    "-out",
                    cert.toString());
            return new TestCa(caCert, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Java TLS context that trusts only this CA, for health checks through the proxies. */
    SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
