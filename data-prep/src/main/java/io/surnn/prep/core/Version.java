package io.surnn.prep.core;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project version every command's {@code -V/--version} prints ("suRNN-Spark 0.1.0"), read from
 * the build (Maven filters it into {@code version.properties}), and the picocli wiring that gives
 * every subcommand of a command line that line.
 */
public final class Version implements CommandLine.IVersionProvider {

    /** "suRNN-Spark VERSION". */
    public static String line() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/io/surnn/prep/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "suRNN-Spark " + p.getProperty("version", "(unknown version)");
    }

    @Override
    public String[] getVersion() {
        return new String[]{line()};
    }

    /** Sets the version of {@code cl} and of every subcommand below it; returns {@code cl}. */
    public static CommandLine applyTo(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new Version());
        cl.getSubcommands().values().forEach(Version::applyTo);
        return cl;
    }
}
