package org.ankisync.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.PythonDevice;

/**
 * A device folder holding a collection of about 150 MB of barely compressible
 * notes (the full upload through a proxy is then over 100 MiB on the wire),
 * made once by the official library and copied for each test.
 */
final class LargeCollection {
    static final long BYTES = 150L * 1000 * 1000;

    private LargeCollection() {}

    /** A fresh copy of the collection in {@code folder} (made first if the build has none yet). */
    static synchronized Path copyTo(Path folder) {
        Path template = template();
        try {
            Files.createDirectories(folder);
            try (Stream<Path> files = Files.list(template)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file)
                            && file.getFileName().toString().startsWith("collection.anki2")) {
                        Files.copy(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path template() {
        Path folder =
                Path.of(System.getProperty("deploy.work", "target/deploy")).resolve("large-collection-150mb");
        Path done = folder.resolve("complete");
        if (Files.exists(done)) {
            return folder;
        }
        try (PythonDevice device = PythonDevice.open(folder)) {
            // Random bytes in base64: zstd gains little, so the upload stays large.
            device.run(""
                    + "import base64, random\n"
                    + "from anki.collection import AddNoteRequest\n"
                    + "rng = random.Random(14)\n"
                    + "model = col.models.by_name('Basic')\n"
                    + "did = col.decks.id('Large')\n"
                    + "batch = []\n"
                    + "for i in range(" + BYTES / 14_000 + "):\n"
                    + "    note = col.new_note(model)\n"
                    + "    note['Front'] = str(i) + ' ' + base64.b64encode(rng.randbytes(3000)).decode()\n"
                    + "    note['Back'] = base64.b64encode(rng.randbytes(4500)).decode()\n"
                    + "    batch.append(AddNoteRequest(note=note, deck_id=did))\n"
                    + "    if len(batch) == 500:\n"
                    + "        col.add_notes(batch)\n"
                    + "        batch = []\n"
                    + "if batch:\n"
                    + "    col.add_notes(batch)\n"
                    + "result = None");
        }
        try {
            Files.writeString(done, "ok\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /** The size of a device's collection file. */
    static long fileSize(Path deviceFolder) {
        try {
            return Files.size(deviceFolder.resolve("collection.anki2"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
