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
 * The report's charts, drawn by JFreeChart off-screen (headless) into PNG bytes: against the
 * optimizer step the training and validation loss, the validation metric (with the chance level),
 * the learning rate, the per-layer update rate and the training throughput, each point marked where
 * a series is sparse; and per su-layer its learned gate as a picture plus a histogram of its neurons'
 * update rates. An event history without a series draws an empty chart saying so. Outside the
 * package only {@link #logLog} is used (the experiments' figures).
 */
public final class Charts {
    static final int WIDTH = 800;
    static final int HEIGHT = 400;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Chart file name → PNG bytes, in report order (no chance level, no gate pictures). */
    static Map<String, byte[]> render(List<MetricsEvent> history) throws IOException {
        return render(history, null, Map.of());
    }

    /**
     * Chart file name → PNG bytes, in report order: training and validation loss, the validation
     * metrics (with the chance level on accuracy), the learning rate, the per-layer update rates, the
     * throughput, and per su-layer its gate picture and the histogram of its neurons' update rates.
     *
     * @param chanceAccuracy accuracy of always guessing the most frequent class (drawn as a dashed line), or null
     * @param gates          su-layer name → its learned gate pattern (empty for networks without su-layers)
     */
    static Map<String, byte[]> render(List<MetricsEvent> history, Double chanceAccuracy,
                                      Map<String, io.surnn.ops.models.GatePatterns.Pattern> gates) throws IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        XYSeriesCollection loss = new XYSeriesCollection();
        XYSeries train = points("training loss", history, e -> e.loss());
        XYSeries val = points("validation loss", history, e -> e.metrics().get("val_loss"));
        if (!train.isEmpty()) loss.addSeries(train);
        if (!val.isEmpty()) loss.addSeries(val);
        JFreeChart lossChart = line("Loss (nats per example or token)", "loss", loss);
        markPoints(lossChart);
        out.put("loss.png", png(lossChart));
        out.put("validation.png", png(validation(history, chanceAccuracy)));
        JFreeChart lr = line("Learning rate", "lr", series("lr", history, e -> e.lr()));
        out.put("learning_rate.png", png(lr));
        out.put("update_rate.png", png(updateRates(history)));
        String unit = history.stream().map(MetricsEvent::unit).filter(u -> u != null).findFirst().orElse("items/s");
        out.put("throughput.png", png(line("Training throughput", unit, series(unit, history, e -> e.throughput()))));
        if (history.stream().anyMatch(e -> e.metrics().containsKey(MetricsEvent.ROUND_PREFIX + "fit_ms"))) {
            out.put("round_profile.png", png(roundProfile(history)));
        }
        for (io.surnn.ops.models.GatePatterns.Pattern p : gates.values()) {
            String file = p.layer().replaceAll("[^A-Za-z0-9_.-]", "_");
            out.put("gate_" + file + ".png", gatePicture(p, 256));
            out.put("gate_rates_" + file + ".png", rateHistogram(p));
        }
        return out;
    }

    /** The phases of every profiled round stacked: where each round's wall time went. */
    static final List<String> PHASES = List.of("data", "fit", "aggregate", "broadcast", "schedule");

    private static JFreeChart roundProfile(List<MetricsEvent> history) {
        org.jfree.data.xy.DefaultTableXYDataset data = new org.jfree.data.xy.DefaultTableXYDataset();
        for (String phase : PHASES) {
            XYSeries s = new XYSeries(phase, true, false);
            for (MetricsEvent e : history) {
                Double ms = e.metrics().get(MetricsEvent.ROUND_PREFIX + phase + "_ms");
                if (ms != null && e.metrics().containsKey(MetricsEvent.ROUND_PREFIX + "fit_ms")) {
                    s.addOrUpdate((double) e.step(), ms / 1000.0);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createStackedXYAreaChart("Round time by phase", "step", "seconds per round",
                data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static JFreeChart validation(List<MetricsEvent> history, Double chanceAccuracy) {
        TreeSet<String> names = new TreeSet<>();
        history.forEach(e -> e.metrics().keySet().stream()
                .filter(k -> k.startsWith("val_") && !k.equals("val_loss")).forEach(names::add));
        XYSeriesCollection data = new XYSeriesCollection();
        for (String name : names) {
            XYSeries s = points(name, history, e -> e.metrics().get(name));
            if (!s.isEmpty()) data.addSeries(s);
        }
        JFreeChart chart = line("Validation", names.isEmpty() ? "metric" : String.join(", ", names), data);
        markPoints(chart);
        if (chanceAccuracy != null && names.contains("val_accuracy")) {
            org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(chanceAccuracy);
            m.setPaint(Color.GRAY);
            m.setStroke(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[]{6f, 4f}, 0f));
            m.setLabel(String.format(java.util.Locale.ROOT, "chance %.3f", chanceAccuracy));
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
            chart.getXYPlot().addRangeMarker(m);
            ((NumberAxis) chart.getXYPlot().getRangeAxis()).setRange(0, 1.0);
        }
        return chart;
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
     * A su-layer's gate as a picture: neurons (sorted by update rate, most often open at the top) ×
     * steps, black where the neuron is open. Rows beyond {@code maxRows} are sampled evenly so a wide
     * layer still fits the image.
     */
    static byte[] gatePicture(io.surnn.ops.models.GatePatterns.Pattern p, int maxRows) throws IOException {
        int rows = Math.min(p.hidden(), maxRows);
        org.jfree.data.xy.DefaultXYZDataset data = new org.jfree.data.xy.DefaultXYZDataset();
        int n = rows * p.steps();
        double[][] xyz = new double[3][n];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            int src = (int) ((long) r * p.hidden() / rows);
            for (int t = 0; t < p.steps(); t++, k++) {
                xyz[0][k] = t;
                xyz[1][k] = r;
                xyz[2][k] = p.open()[src][t] ? 1 : 0;
            }
        }
        data.addSeries("gate", xyz);
        NumberAxis x = new NumberAxis("step");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(-0.5, p.steps() - 0.5);
        NumberAxis y = new NumberAxis(rows < p.hidden() ? "neuron rank by update rate (" + rows + " of " + p.hidden() + " shown)"
                : "neuron rank by update rate");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setRange(-0.5, rows - 0.5);
        y.setInverted(true);
        org.jfree.chart.renderer.xy.XYBlockRenderer r = new org.jfree.chart.renderer.xy.XYBlockRenderer();
        org.jfree.chart.renderer.LookupPaintScale scale = new org.jfree.chart.renderer.LookupPaintScale(0, 1.01, Color.WHITE);
        scale.add(0.5, Color.BLACK);
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart(String.format(java.util.Locale.ROOT,
                "Gate of %s: black = open (mean update rate %.3f over %d steps)", p.layer(), p.meanRate(), p.steps()),
                JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart);
    }

    /** Histogram of a su-layer's per-neuron update rates (20 bins over [0, 1]). */
    static byte[] rateHistogram(io.surnn.ops.models.GatePatterns.Pattern p) throws IOException {
        org.jfree.data.statistics.HistogramDataset data = new org.jfree.data.statistics.HistogramDataset();
        data.addSeries(p.layer(), p.rates(), 20, 0.0, 1.0);
        JFreeChart chart = ChartFactory.createHistogram("Per-neuron update rates of " + p.layer(),
                "fraction of steps the neuron is open", "neurons", data, PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getDomainAxis().setRange(0, 1);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((org.jfree.chart.renderer.xy.XYBarRenderer) plot.getRenderer()).setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        plot.getRenderer().setSeriesPaint(0, new Color(60, 90, 160));
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart);
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

    /**
     * Curves over a swept axis with both axes logarithmic (experiment figures: gradient norm over
     * sequence length), one series per name, points marked. Points with a value of 0 or below cannot
     * be drawn on a log axis and are left out.
     *
     * @param series name → {x values, y values}
     */
    public static byte[] logLog(String title, String xLabel, String yLabel, Map<String, double[][]> series) throws IOException {
        return sweep(title, xLabel, yLabel, series, true);
    }

    /**
     * As {@link #logLog}, with a linear value axis from 0 to 1 (experiment figures: accuracy over the
     * recall gap); the swept axis stays logarithmic.
     */
    public static byte[] logXUnitY(String title, String xLabel, String yLabel, Map<String, double[][]> series) throws IOException {
        return sweep(title, xLabel, yLabel, series, false);
    }

    private static byte[] sweep(String title, String xLabel, String yLabel, Map<String, double[][]> series, boolean logY)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            for (int i = 0; i < e.getValue()[0].length; i++) {
                double v = e.getValue()[1][i];
                if (e.getValue()[0][i] > 0 && Double.isFinite(v) && (v > 0 || !logY)) {
                    s.add(e.getValue()[0][i], v);
                }
            }
            if (!s.isEmpty()) data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        org.jfree.chart.axis.LogAxis x = new org.jfree.chart.axis.LogAxis(xLabel);
        x.setBase(2);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setDomainAxis(x);
        if (logY) {
            plot.setRangeAxis(new org.jfree.chart.axis.LogAxis(yLabel));
        } else {
            NumberAxis y = new NumberAxis(yLabel);
            y.setRange(0, 1.05);
            plot.setRangeAxis(y);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
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
