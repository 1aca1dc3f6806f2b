/**
 * The driver's command line (picocli): {@code train}, {@code evaluate}, {@code generate},
 * {@code export}, {@code quickstart}. Bad input ends with one line on stderr and exit code 2; a
 * failure while running (e.g. diverged training) with exit code 1.
 */
package io.surnn.driver.cli;
