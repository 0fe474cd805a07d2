package org.ankisync.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the one {@link S3Client} a process uses, from {@link S3Settings}. */
public final class S3Clients {
    private S3Clients() {}

    public static S3Client create(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                // Blocking Apache client with a bounded pool: each open media stream holds one connection.
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionAcquisitionTimeout(Duration.ofSeconds(30))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                // Checksums only where an operation requires them. Since 2.30 the SDK's default
                // (WHEN_SUPPORTED) sends uploads as aws-chunked bodies with a CRC trailer, which some
                // S3-compatible servers store verbatim, trailer and chunk headers included. Integrity of
                // what we store is checked by the media layer (the client's SHA-1 in media.db, and the
                // length of every file sent), and the contract tests compare bytes after a round trip.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings));
        settings.signingRegion().ifPresent(region -> builder.region(Region.of(region)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKeyId().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    settings.accessKeyId().get(), settings.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
