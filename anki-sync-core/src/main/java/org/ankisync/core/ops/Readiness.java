package org.ankisync.core.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code /ready}: whether this server can take syncs now. Ready when the
 * collections folder is writable (a file is really created and removed: a
 * read-only mount or a full disk shows only then, also to root), free disk
 * space is above the floor, the account store answers, and no shutdown has
 * begun. Cheap enough to be polled every few seconds: one small file, one
 * {@code statfs}, one account look-up.
 */
public final class Readiness {
    /** Usable bytes on the file system holding a folder; a seam so that tests can cross the floor. */
    @FunctionalInterface
    public interface FreeSpace {
        long usableBytes(Path folder) throws IOException;

        FreeSpace FILE_STORE = folder -> Files.getFileStore(folder).getUsableSpace();
    }

    private final Path collections;
    private final long minFreeBytes;
    private final FreeSpace freeSpace;
    private final BooleanSupplier accountsAnswer;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    /**
     * @param accountsAnswer a cheap call into the account store; false or an exception means it does not answer
     */
    public Readiness(Path collections, long minFreeBytes, FreeSpace freeSpace, BooleanSupplier accountsAnswer) {
        this.collections = collections;
        this.minFreeBytes = minFreeBytes;
        this.freeSpace = freeSpace;
        this.accountsAnswer = accountsAnswer;
    }

    /** From now on {@code /ready} answers 503, so that a load balancer stops sending new syncs. */
    public void shuttingDown() {
        shuttingDown.set(true);
    }

    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    /** The failed checks, each a short phrase; empty when ready. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (shuttingDown.get()) {
            problems.add("shutting down");
        }
        try {
            Path probe = Files.createTempFile(collections, ".ready-", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            problems.add("collections folder not writable");
        }
        try {
            long free = freeSpace.usableBytes(collections);
            if (free < minFreeBytes) {
                problems.add("free disk space " + (free / (1024 * 1024)) + " MiB below the floor of "
                        + (minFreeBytes / (1024 * 1024)) + " MiB");
            }
        } catch (IOException | RuntimeException e) {
            problems.add("free disk space unknown");
        }
        boolean accounts;
        try {
            accounts = accountsAnswer.getAsBoolean();
        } catch (RuntimeException e) {
            accounts = false;
        }
        if (!accounts) {
            problems.add("account store not answering");
        }
        return problems;
    }
}
