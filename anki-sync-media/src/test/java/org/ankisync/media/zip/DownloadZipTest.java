package org.ankisync.media.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadZipTest {
    @TempDir
    Path dir;

    private static DownloadZip.File file(String name, byte[] data) {
        return new DownloadZip.File(name, data.length, DownloadZip.crc(data), new ByteArrayInputStream(data));
    }

    @Test
    void announcedSizeIsExactAndTheZipReadsBack() throws Exception {
        byte[] a = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[300_000];
        b[1] = 1;
        String longName = "日本語 😀 café ".repeat(10) + ".jpg";
        DownloadZip zip = new DownloadZip(new ObjectMapper(), List.of(file("a.txt", a), file(longName, b)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        zip.writeTo(out);
        assertEquals(zip.size(), out.size());
        Path f = dir.resolve("z.zip");
        Files.write(f, out.toByteArray());
        try (ZipFile read = new ZipFile(f.toFile())) {
            assertArrayEquals(a, read.getInputStream(read.getEntry("0")).readAllBytes());
            assertArrayEquals(b, read.getInputStream(read.getEntry("1")).readAllBytes());
            String meta =
                    new String(read.getInputStream(read.getEntry("_meta")).readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(longName, new ObjectMapper().readTree(meta).get("1").asText());
        }
    }
}
