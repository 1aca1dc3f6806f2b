package io.surnn.prep;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.core.PrepSession;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code surnn prep <task> [options]}: turns a corpus into a dataset directory (docs/data-prep.md).
 *
 * <p>Entry points: {@link #main} (the launcher; exits with the code), {@link #run(String...)}
 * (in-process: returns the exit code, starts and stops its own Spark), and
 * {@link #run(SparkSession, PrintStream, PrintStream, String...)} (in-process on a SparkSession the
 * caller owns, e.g. the driver's quickstart or a test class's session). Exit codes: 0 done;
 * 2 user error (unknown task, bad option, missing input, output in the way, bad input record);
 * 1 anything else. Errors are one line on stderr; set SURNN_DEBUG=1 for stack traces.
 */
@Command(name = "surnn prep", mixinStandardHelpOptions = true,
        description = "Turn a corpus into a dataset directory (Parquet shards + manifest.json).",
        synopsisSubcommandLabel = "<task>",
        commandListHeading = "%nTasks:%n",
        footer = {"", "Run `surnn prep <task> --help` for a task's options. Output format: docs/dataset-format.md."})
public final class PrepMain implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;


    /**
     * The tasks, one subcommand class each (a {@link io.surnn.prep.core.PrepCommand}).
     * To add a task: append its class here.
     */
    static final List<Class<?>> TASKS = new java.util.ArrayList<>();

    static {
        // language modelling and the generated tasks
        TASKS.add(io.surnn.prep.tasks.wikitext.WikiTextCommand.class);
        TASKS.add(io.surnn.prep.tasks.listops.ListOpsCommand.class);
        TASKS.add(io.surnn.prep.tasks.copy.SelectiveCopyCommand.class);
        // LRA text, retrieval and image tasks, and (permuted) sequential MNIST
        TASKS.add(io.surnn.prep.tasks.imdb.ImdbCommand.class);
        TASKS.add(io.surnn.prep.tasks.mnist.MnistCommand.class);
        TASKS.add(io.surnn.prep.tasks.cifar.CifarCommand.class);
        TASKS.add(io.surnn.prep.tasks.aan.AanCommand.class);
        TASKS.add(io.surnn.prep.tasks.pathfinder.PathfinderCommand.class);
    }

    private PrepMain() {}

    /** {@code surnn prep} without a task: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("surnn prep: error: no task given");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a prep command in-process with its own Spark; returns the exit code. */
    public static int run(String... args) {
        return run(null, System.out, System.err, args);
    }

    /**
     * Runs a prep command on {@code spark} (null: start one per --master, stopped at the end);
     * the summary goes to {@code out}, progress and errors to {@code err}. Returns the exit code.
     */
    public static int run(SparkSession spark, PrintStream out, PrintStream err, String... args) {
        return execute(commandLine(), spark, out, err, args);
    }

    /** Runs {@code args} on a given command tree (tests add their own subcommands to {@link #commandLine()}). */
    static int execute(CommandLine cl, SparkSession spark, PrintStream out, PrintStream err, String... args) {
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            boolean top = ex.getCommandLine() == cl;
            String where = top ? "surnn prep" : "surnn prep " + ex.getCommandLine().getCommandName();
            if (top && ex instanceof CommandLine.UnmatchedArgumentException && !a[0].startsWith("-")) {
                err.println("surnn prep: error: unknown task '" + a[0] + "' (surnn prep --help lists the tasks)");
            } else {
                err.println(where + ": error: " + firstLine(ex.getMessage())
                        + " (" + where + " --help shows the usage)");
            }
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String where = "surnn prep " + c.getCommandName();
            Throwable user = userError(ex);
            if (user != null) {
                err.println(where + ": error: " + firstLine(user.getMessage()));
            } else {
                err.println(where + ": failed: " + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage())
                        + " (set SURNN_DEBUG=1 for the stack trace)");
            }
            if (System.getenv("SURNN_DEBUG") != null) ex.printStackTrace(err);
            return user != null ? 2 : 1;
        });
        PrepSession.install(new PrepSession(spark, out, err));
        try {
            return cl.execute(args);
        } finally {
            PrepSession.clear();
        }
    }

    /** The picocli command tree (all tasks registered). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PrepMain());
        for (Class<?> task : TASKS) cl.addSubcommand(task);
        return io.surnn.prep.core.Version.applyTo(cl);
    }

    /** A user error in {@code t}'s cause chain (Spark wraps task failures), or null. */
    static Throwable userError(Throwable t) {
        BadRecordException bad = BadRecordException.findIn(t);
        if (bad != null) return bad;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof PrepException || c instanceof IllegalArgumentException
                    || c instanceof java.io.FileNotFoundException) {
                return c;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
