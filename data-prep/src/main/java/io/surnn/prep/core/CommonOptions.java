package io.surnn.prep.core;

import picocli.CommandLine.Option;

/**
 * Options every prep task takes (a picocli Mixin in {@link PrepCommand}). Defaults are stated once,
 * here.
 */
public final class CommonOptions {
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Dataset directory to create (path or Hadoop URI: file://, hdfs://, s3a://).")
    public String output;

    @Option(names = "--overwrite",
            description = "Replace an existing non-empty DIR (only after the new dataset is complete).")
    public boolean overwrite;

    @Option(names = "--allow-empty",
            description = "Write a split even when its input is empty or has no usable records (an empty "
                    + "split, on purpose); without it that is an error naming the split and its input.")
    public boolean allowEmpty;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "4",
            description = "Parquet shards per split (fewer if a split has fewer records). Default: ${DEFAULT-VALUE}.")
    public int shards;

    @Option(names = "--on-bad-record", paramLabel = "fail|skip", defaultValue = "fail",
            converter = PolicyConverter.class,
            description = "fail: stop at the first bad input record, naming file and line; "
                    + "skip: leave it out and count it in manifest.skipped. Default: ${DEFAULT-VALUE}.")
    public BadRecordPolicy onBadRecord = BadRecordPolicy.FAIL;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master when this command starts Spark itself (ignored under "
                    + "spark-submit or when a SparkSession is passed in). Default: ${DEFAULT-VALUE}.")
    public String master;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Random seed (generated tasks, shuffles). Default: ${DEFAULT-VALUE}.")
    public long seed;

    @Option(names = "--quiet", description = "No progress lines (the summary is still printed).")
    public boolean quiet;

    /** picocli converter for {@link BadRecordPolicy}. */
    public static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<BadRecordPolicy> {
        @Override public BadRecordPolicy convert(String value) {
            return BadRecordPolicy.parse(value);
        }
    }
}
