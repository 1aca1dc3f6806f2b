/**
 * What a run leaves for people to read: metrics.jsonl (one JSON object per event, appended while
 * training), metrics.json (the final numbers), report.html (config, final metrics and JFreeChart PNG
 * charts, self-contained) and the console progress line.
 *
 * <p>Entry points: {@link io.surnn.driver.report.RunReporter} for the training loop (log events,
 * then finish), {@link io.surnn.driver.report.ProgressLine} for the console,
 * {@link io.surnn.driver.report.ReportWriter} to render a report from any event history.
 */
package io.surnn.driver.report;
