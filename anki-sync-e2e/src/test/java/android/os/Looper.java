package android.os;

/**
 * Stub of Android's {@code Looper} for the in-process 2.1.66 client
 * ({@code org.ankisync.e2e.harness.JvmDevice}). The backend's constructor only
 * compares the main looper's thread with the current one: here the main thread
 * is a thread that is never started, so no caller is ever "on the main thread".
 */
public final class Looper {
    private static final Looper MAIN = new Looper(new Thread("android-main-looper-stub"));

    private final Thread thread;

    private Looper(Thread thread) {
        this.thread = thread;
    }

    public static Looper getMainLooper() {
        return MAIN;
    }

    public Thread getThread() {
        return thread;
    }
}
