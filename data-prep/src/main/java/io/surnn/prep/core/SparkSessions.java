package io.surnn.prep.core;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * How a prep command gets its SparkSession. Under spark-submit (the system property
 * {@code spark.master} is set) the submitted master is used and --master is ignored; otherwise the
 * command starts an embedded Spark with --master (default local[*]). A session passed in by the
 * caller (tests, the driver) is always used as is and never stopped by the command.
 */
public final class SparkSessions {
    private SparkSessions() {}

    /** Starts (or joins) a session for a prep command. */
    public static SparkSession start(String master, String appName) {
        quietSparkLogs();
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // token arrays and rows cross two shuffles in the LM jobs: Kryo is several times faster than Java serialization
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        SparkSession s = SparkSession.builder().config(conf).getOrCreate();
        return s;
    }

    /**
     * Spark's default log4j2 setup prints INFO lines by the hundred; a prep command prints its own
     * progress. When log4j2 is still on its built-in default configuration (no user file), install
     * a WARN-level console configuration; Spark then keeps it instead of loading its INFO defaults.
     */
    static void quietSparkLogs() {
        if (System.getProperty("log4j2.configurationFile") != null
                || System.getProperty("log4j.configurationFile") != null) {
            return;
        }
        try {
            org.apache.logging.log4j.core.LoggerContext lc =
                    (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
            if (!(lc.getConfiguration() instanceof org.apache.logging.log4j.core.config.DefaultConfiguration)) {
                return; // configured by the user (a log4j2 file on the class path)
            }
            ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
            b.add(b.newAppender("stderr", "Console").addAttribute("target", "SYSTEM_ERR")
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{HH:mm:ss} %p %c{1}: %m%n")));
            b.add(b.newRootLogger(Level.WARN).add(b.newAppenderRef("stderr")));
            b.add(b.newLogger("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR));
            b.add(b.newLogger("org.apache.spark.util.Utils", Level.ERROR));
            Configurator.reconfigure(b.build());
        } catch (RuntimeException | LinkageError e) {
            // a different logging backend: leave it alone
        }
    }
}
