package io.surnn.driver.report;

/**
 * A run directory cannot be used as asked, and nothing has been written: another run holds it, a dead
 * run's lock is still there, or a fresh run was asked for in a directory that holds one. The message
 * is one line naming the directory and the choices. The CLI reports it as {@code error:} (exit 2),
 * like other input the user has to change.
 */
public final class RunDirectoryRefusedException extends IllegalArgumentException {
    public RunDirectoryRefusedException(String message) {
        super(message);
    }
}
