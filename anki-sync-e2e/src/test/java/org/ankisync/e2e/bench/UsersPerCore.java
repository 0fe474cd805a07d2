package org.ankisync.e2e.bench;

/**
 * The benchmark's paper model of how many users one core serves: the CPU
 * seconds a core offers in a day, at the utilisation one is willing to run it,
 * divided by what a user's syncs of a day cost the server. It ignores peaks
 * (users sync in the morning and evening, not evenly), logins, media and full
 * syncs, so it is an upper bound to plan below, not a promise.
 */
final class UsersPerCore {
    static final double SECONDS_PER_DAY = 86_400;

    private UsersPerCore() {}

    /**
     * Users per core = (86400 s × utilisation) / (syncs per user per day × CPU seconds per sync).
     *
     * @param cpuSecondsPerSync measured server CPU per sync (all nodes summed)
     * @param syncsPerUserPerDay assumed syncs of one user in a day
     * @param utilisation the share of the core one plans to use (0..1)
     */
    static double estimate(double cpuSecondsPerSync, int syncsPerUserPerDay, double utilisation) {
        if (!(cpuSecondsPerSync > 0) || syncsPerUserPerDay <= 0 || !(utilisation > 0) || utilisation > 1) {
            throw new IllegalArgumentException("cpu per sync " + cpuSecondsPerSync + ", syncs per day "
                    + syncsPerUserPerDay + ", utilisation " + utilisation);
        }
        return SECONDS_PER_DAY * utilisation / (syncsPerUserPerDay * cpuSecondsPerSync);
    }
}
