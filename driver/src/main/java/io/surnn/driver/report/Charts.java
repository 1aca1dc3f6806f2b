package io.surnn.driver.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The report's four line charts, drawn by JFreeChart off-screen (headless) into PNG bytes, all
 * against the optimizer step: training loss, the validation metric, the per-layer update rate and
 * the training throughput. An event history without the series draws an empty chart saying so.
 */
final class Charts {
    static final int WIDTH = 800;
    static final int HEIGHT = 400;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Chart file name → PNG bytes, in report order. */
    static Map<String, byte[]> render(List<MetricsEvent> history) throws IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        out.put("loss.png", png(line("Training loss", "loss", series("loss", history, e -> e.loss()))));
        out.put("validation.png", png(validation(history)));
        out.put("update_rate.png", png(updateRates(history)));
        String unit = history.stream().map(MetricsEvent::unit).filter(u -> u != null).findFirst().orElse("items/s");
        out.put("throughput.png", png(line("Training throughput", unit, series(unit, history, e -> e.throughput()))));
        return out;
    }

    private static JFreeChart validation(List<MetricsEvent> history) {
        TreeSet<String> names = new TreeSet<>();
        history.forEach(e -> e.metrics().keySet().stream().filter(k -> k.startsWith("val_")).forEach(names::add));
        XYSeriesCollection data = new XYSeriesCollection();
        for (String name : names) {
            XYSeries s = points(name, history, e -> e.metrics().get(name));
            if (!s.isEmpty()) data.addSeries(s);
        }
        return line("Validation", names.isEmpty() ? "metric" : String.join(", ", names), data);
    }

    private static JFreeChart updateRates(List<MetricsEvent> history) {
        Map<Integer, XYSeries> byLayer = new TreeMap<>();
        for (MetricsEvent e : history) {
            for (int layer = 0; layer < e.updateRates().size(); layer++) {
                byLayer.computeIfAbsent(layer, l -> new XYSeries("layer " + l)).add(e.step(), e.updateRates().get(layer));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byLayer.values().forEach(data::addSeries);
        return line("Update rate per layer (fraction of neurons open)", "update rate", data);
    }

    /** A one-series collection, empty when no event has the value (so the chart says "No data"). */
    private static XYSeriesCollection series(String name, List<MetricsEvent> history,
                                             Function<MetricsEvent, Double> value) {
        XYSeries s = points(name, history, value);
        XYSeriesCollection c = new XYSeriesCollection();
        if (!s.isEmpty()) c.addSeries(s);
        return c;
    }

    /** (step, value) for every event with a finite value. */
    private static XYSeries points(String name, List<MetricsEvent> history, Function<MetricsEvent, Double> value) {
        XYSeries s = new XYSeries(name);
        for (MetricsEvent e : history) {
            Double v = value.apply(e);
            if (v != null && Double.isFinite(v)) s.add(e.step(), v);
        }
        return s;
    }

    private static JFreeChart line(String title, String yLabel, XYSeriesCollection data) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", yLabel, data,
                PlotOrientation.VERTICAL, data.getSeriesCount() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        // Whole steps on x; y fitted to the data (a loss going 2.31 → 2.28 must not be a flat line at 0-scale).
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        plot.setNoDataMessage("no data in this run");
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * One chart with one series per run (legend on), each point marked: comparison curves are often
     * sparse (a validation every few rounds), and a line alone would read as a smooth curve.
     */
    static byte[] overlay(String title, String yLabel, Map<String, XYSeries> series) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().stream().filter(s -> !s.isEmpty()).forEach(data::addSeries);
        JFreeChart chart = line(title, yLabel, data);
        chart.removeLegend();
        if (data.getSeriesCount() > 0) {
            chart.addLegend(new org.jfree.chart.title.LegendTitle(chart.getXYPlot()));
        }
        markPoints(chart);
        return png(chart);
    }

    /** Draws a marker at every data point of every series. */
    static void markPoints(JFreeChart chart) {
        org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
        chart.getXYPlot().setRenderer(r);
    }

    private static byte[] png(JFreeChart chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        return out.toByteArray();
    }
}
