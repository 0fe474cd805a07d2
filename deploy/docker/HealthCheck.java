import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The image's HEALTHCHECK: exit 0 when GET /health on the server's port answers
 * 200. A class of its own, because the runtime base image need not have curl.
 */
public final class HealthCheck {
    private HealthCheck() {
    }

    public static void main(String[] args) throws Exception {
        String port = System.getenv().getOrDefault("ANKISYNCD_PORT", "27701");
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health")
                .toURL().openConnection();
        connection.setConnectTimeout(3000);
        connection.setReadTimeout(5000);
        int status = connection.getResponseCode();
        System.exit(status == 200 ? 0 : 1);
    }
}
