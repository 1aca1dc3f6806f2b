package io.surnn.driver.config;

/**
 * {@code surnn.output}: the run's folder (a local path or any Hadoop FS URI). Metrics, reports,
 * checkpoints and the final model are written below it; the helpers name the conventional places.
 */
public record OutputConfig(String dir) {
    /** {@code <dir>/checkpoints}. */
    public String checkpointsDir() {
        return join("checkpoints");
    }

    /** {@code <dir>/model}: the final trained model. */
    public String modelDir() {
        return join("model");
    }

    /** {@code <dir>/<name>}, without doubling the separator. */
    public String join(String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
