package timber.log;

import java.lang.System.Logger.Level;
import java.util.IllegalFormatException;

/**
 * Stub of the Timber logging facade (published only as an Android AAR) for the
 * in-process 2.1.66 client: the backend logs through {@code Timber.Forest}.
 * Messages go to {@link System.Logger} "timber" (warnings and errors are shown
 * by the default configuration, the rest is dropped).
 */
public final class Timber {
    /** What Kotlin callers see as {@code Timber} itself (the companion object). */
    public static final Forest Forest = new Forest();

    private Timber() {}

    public static final class Forest {
        private static final System.Logger LOG = System.getLogger("timber");

        private Forest() {}

        public void v(String message, Object... args) {
            log(Level.TRACE, null, message, args);
        }

        public void v(Throwable t, String message, Object... args) {
            log(Level.TRACE, t, message, args);
        }

        public void d(String message, Object... args) {
            log(Level.DEBUG, null, message, args);
        }

        public void d(Throwable t, String message, Object... args) {
            log(Level.DEBUG, t, message, args);
        }

        public void i(String message, Object... args) {
            log(Level.INFO, null, message, args);
        }

        public void i(Throwable t, String message, Object... args) {
            log(Level.INFO, t, message, args);
        }

        public void w(String message, Object... args) {
            log(Level.WARNING, null, message, args);
        }

        public void w(Throwable t, String message, Object... args) {
            log(Level.WARNING, t, message, args);
        }

        public void w(Throwable t) {
            log(Level.WARNING, t, "", new Object[0]);
        }

        public void e(String message, Object... args) {
            log(Level.ERROR, null, message, args);
        }

        public void e(Throwable t, String message, Object... args) {
            log(Level.ERROR, t, message, args);
        }

        public void e(Throwable t) {
            log(Level.ERROR, t, "", new Object[0]);
        }

        private static void log(Level level, Throwable t, String message, Object[] args) {
            if (!LOG.isLoggable(level)) {
                return;
            }
            String text = format(message, args);
            if (t == null) {
                LOG.log(level, text);
            } else {
                LOG.log(level, text, t);
            }
        }

        private static String format(String message, Object[] args) {
            if (message == null) {
                return "";
            }
            if (args == null || args.length == 0) {
                return message;
            }
            try {
                return String.format(message, args);
            } catch (IllegalFormatException e) {
                return message;
            }
        }
    }
}
