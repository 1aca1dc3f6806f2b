package io.surnn.driver.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code surnn demo} and {@code surnn bench}. */
@Command(name = "surnn", mixinStandardHelpOptions = true,
        description = "Model-level tools (no Spark): a learning demo, the layer benchmark and the output-layer benchmark.",
        subcommands = {DemoCommand.class, BenchCommand.class, OutputBenchCommand.class, CommandLine.HelpCommand.class})
public final class OpsMain implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: demo, bench or bench-output");
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return io.surnn.prep.core.Version.applyTo(new CommandLine(new OpsMain())).setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
