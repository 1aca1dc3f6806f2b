package io.surnn.driver.cli;

import io.surnn.driver.testutil.DriverCli;
import io.surnn.prep.core.Version;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command answers -V/--version with the build's version (it printed nothing before). */
class VersionTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "train", "evaluate", "generate", "export", "quickstart", "compare"})
    void everyCommandPrintsTheProjectVersion(String command) {
        Object[] r = command.isEmpty() ? DriverCli.run("--version") : DriverCli.run(command, "-V");
        assertEquals(0, r[0]);
        assertEquals(Version.line(), ((String) r[1]).strip());
        assertTrue(Version.line().matches("suRNN-Spark \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Version.line());
    }
}
