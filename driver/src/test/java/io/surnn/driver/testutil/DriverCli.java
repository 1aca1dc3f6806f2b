package io.surnn.driver.testutil;

import io.surnn.driver.cli.DriverMain;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the driver's CLI in-process for tests, capturing what it prints (System.out included). */
public final class DriverCli {
    private DriverCli() {}

    /** Runs DriverMain; returns {exit code, stdout, stderr}. */
    public static Object[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        System.setOut(o);
        int rc;
        try {
            rc = DriverMain.run(o, new PrintStream(err, true, StandardCharsets.UTF_8), args);
        } finally {
            System.setOut(oldOut);
        }
        return new Object[] {rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
