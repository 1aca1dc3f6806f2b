package io.surnn.driver.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Entry point of the driver application ({@code surnn train|evaluate|generate|export|quickstart|compare|experiment},
 * or spark-submit with this main class). Error policy: a bad option, config, file or dataset is a
 * user error — one line {@code surnn <command>: error: …} (one per problem for a config with several)
 * and exit 2, and so is a run directory that cannot be used as asked (held by another run, a stale
 * lock, an earlier run in it); anything else that stops a run, I/O failures during training
 * included, is {@code failed:} and exit 1 with its first line (SURNN_DEBUG=1 adds the stack trace).
 */
@Command(name = "surnn", mixinStandardHelpOptions = true,
        description = "suRNN-Spark driver: train, evaluate, sample from and export selective-update RNNs on Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, GenerateCommand.class, ExportCommand.class,
                QuickstartCommand.class, CompareCommand.class, ExperimentCommand.class})
public final class DriverMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given (train, evaluate, generate, export, quickstart, compare, experiment)");
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs a command in-process; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = io.surnn.prep.core.Version.applyTo(new CommandLine(new DriverMain()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            String where = ex.getCommandLine() == cl ? "surnn" : "surnn " + ex.getCommandLine().getCommandName();
            err.println(where + ": error: " + firstLine(ex.getMessage()) + " (" + where + " --help shows the usage)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String where = "surnn " + c.getCommandName();
            Throwable user = userError(ex);
            if (user instanceof io.surnn.driver.config.ConfigError ce) {
                for (String problem : ce.problems()) {     // every config problem, one line each
                    err.println(where + ": error: " + firstLine(problem));
                }
            } else if (user != null) {
                err.println(where + ": error: " + firstLine(user.getMessage()));
            } else {
                err.println(where + ": failed: " + firstLine(rootMessage(ex)));
            }
            if (System.getenv("SURNN_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return user != null ? 2 : 1;
        });
        return cl.execute(args);
    }

    /** The user-error cause (bad config/option/file/data), if that is what stopped the command. */
    static Throwable userError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof java.io.FileNotFoundException
                    || t instanceof io.surnn.driver.checkpoint.IncompatibleCheckpointException) {
                return t;
            }
            if (t instanceof org.apache.spark.SparkException || t instanceof io.surnn.driver.train.TrainingDivergedException
                    || t instanceof io.surnn.driver.train.TrainingFailedException) {
                return null;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable ex) {
        if (ex instanceof io.surnn.driver.train.TrainingDivergedException || ex instanceof io.surnn.driver.train.TrainingFailedException) {
            return ex.getMessage();
        }
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return (t == ex ? "" : ex.getClass().getSimpleName() + ": ") + t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
