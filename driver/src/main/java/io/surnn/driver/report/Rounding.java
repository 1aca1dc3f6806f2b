package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How many digits each reported number means. A test accuracy over 100 examples is not known to 16
 * digits, and a 27-second run's wall time is not nanoseconds: metrics.json, metrics.jsonl and the
 * HTML pages round by the key's meaning, in one place.
 *
 * <ul>
 *   <li>accuracy and update rates: 4 decimals (a rate of 0.1700 is 17.00 % of neurons open)</li>
 *   <li>loss: 5 significant digits (a converged copy task's loss is small); perplexity: 2 decimals</li>
 *   <li>throughput: 1 decimal; times in seconds: 1 decimal (elapsed_s 2 decimals, to order events)</li>
 *   <li>learning rate: 3 significant digits</li>
 * </ul>
 * Keys not listed keep 6 significant digits; integers are never touched.
 */
public final class Rounding {
    private Rounding() {}

    /** {@code value} rounded for {@code key} (a metrics key such as "val_accuracy" or "lr"). */
    public static double round(String key, double value) {
        if (!Double.isFinite(value)) {
            return value;
        }
        String k = key.toLowerCase(java.util.Locale.ROOT);
        if (k.equals("lr") || k.endsWith("learning_rate")) {
            return significant(value, 3);
        }
        if (k.endsWith("perplexity")) {
            return decimals(value, 2);
        }
        if (k.endsWith("loss")) {
            return significant(value, 5);
        }
        if (k.endsWith("accuracy") || k.contains("update_rate") || k.startsWith("share_")) {
            return decimals(value, 4);
        }
        if (k.endsWith("_bytes")) {
            return value;
        }
        if (k.equals("elapsed_s")) {
            return decimals(value, 2);
        }
        if (k.contains("throughput") || k.endsWith("per_s") || k.endsWith("_s") || k.endsWith("_ms")) {
            return decimals(value, 1);
        }
        return significant(value, 6);
    }

    /** A JSON value as table text, rounded for {@code key} where it is a non-integral number. */
    public static String format(String key, JsonNode v) {
        if (v.isTextual()) return v.asText();
        if (v.isIntegralNumber()) return v.asText();
        if (v.isNumber()) return BigDecimal.valueOf(round(key, v.asDouble())).stripTrailingZeros().toPlainString();
        return v.toString();
    }

    private static double decimals(double v, int places) {
        return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static double significant(double v, int digits) {
        return v == 0 ? 0 : new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).doubleValue();
    }
}
