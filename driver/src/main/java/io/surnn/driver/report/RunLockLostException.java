package io.surnn.driver.report;

import java.io.IOException;

/**
 * A running run found that it no longer holds its run directory's lock (the lock file was deleted or
 * now names another run, e.g. after someone else's {@code --force-unlock}). The run stops before it
 * writes anything more; the CLI reports it as {@code failed:} (exit 1).
 */
public final class RunLockLostException extends IOException {
    public RunLockLostException(String message) {
        super(message);
    }
}
