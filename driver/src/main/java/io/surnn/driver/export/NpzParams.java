package io.surnn.driver.export;

import io.surnn.prep.format.Npy;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every parameter of a network as a NumPy {@code .npz} archive, and back.
 *
 * <p>Design note: an array is named {@code layer<i>_<layerName>/<paramKey>}, where {@code i} is the
 * layer's position in {@code getLayers()} (for a ComputationGraph: its topological order, fixed by the
 * configuration), {@code layerName} the name given in the configuration (the builders in
 * io.surnn.ops.models name every layer) and {@code paramKey} the key of the layer's ParamInitializer
 * (e.g. {@code W}, {@code RW}, {@code b}). Arrays are written in their logical shape, C order, in the
 * network's data type, so {@code numpy.load(f)["layer1_su0/W"]} is the same matrix DL4J multiplies
 * with. Import is all-or-nothing: every array is checked (name known, none missing, shape equal,
 * every value finite) before the first one is copied into the network. A float64 array may be loaded
 * into a float32 network (it is rounded) and vice versa.
 *
 * <p>One array is a {@code .npy} file written and parsed by data-prep's {@link Npy} codec; this class
 * only moves values between it and ND4J ({@link #encode}, {@link #decode}): float32 ({@code <f4}) and
 * float64 ({@code <f8}), C order out, C or Fortran order in.
 */
public final class NpzParams {
    private NpzParams() {}

    /** Name → live parameter view, in export order. */
    public static Map<String, INDArray> namedParams(Model model) {
        Layer[] layers = layersOf(model);
        Map<String, INDArray> out = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < layers.length; i++) {
            String layerName = layers[i].conf().getLayer().getLayerName();
            String prefix = "layer" + i + "_" + (layerName == null ? String.valueOf(i) : layerName) + "/";
            for (Map.Entry<String, INDArray> e : layers[i].paramTable().entrySet()) {
                out.put(prefix + e.getKey(), e.getValue());
                total += e.getValue().length();
            }
        }
        if (total != model.numParams()) {
            throw new IllegalArgumentException("the network holds " + model.numParams()
                    + " parameters but its layers expose only " + total
                    + " (a graph vertex with its own parameters?); .npz export would be incomplete");
        }
        return out;
    }

    /** Writes every parameter of {@code model} to {@code file} (overwritten). */
    public static void save(Model model, Path file) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(model, os);
        }
    }

    /** Writes every parameter of {@code model} as a zip of .npy entries to {@code os} (not closed). */
    public static void write(Model model, OutputStream os) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(os);
        for (Map.Entry<String, INDArray> e : namedParams(model).entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
            zip.write(encode(e.getValue()));
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** Reads every array of an .npz file, by name (the ".npy" suffix removed), in file order. */
    public static Map<String, INDArray> readArrays(Path file) throws IOException {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(file))) {
            return readArrays(is, file.toString());
        }
    }

    /** As {@link #readArrays(Path)}; {@code source} labels error messages. */
    public static Map<String, INDArray> readArrays(InputStream is, String source) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(is);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            String name = e.getName();
            if (!name.endsWith(".npy")) {
                throw new IllegalArgumentException(source + ": entry '" + name + "' is not a .npy array");
            }
            name = name.substring(0, name.length() - 4);
            out.put(name, decode(name, zip.readAllBytes()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(source + ": not an .npz archive, or one without arrays");
        }
        return out;
    }

    /** One array (FLOAT or DOUBLE) as a C-ordered little-endian .npy file, whatever its own ordering. */
    public static byte[] encode(INDArray array) {
        String descr = descrOf(array.dataType());
        INDArray c = array.dup('c');
        return descr.equals("<f8") ? Npy.writeDoubles(c.data().asDouble(), array.shape())
                : Npy.writeFloats(c.data().asFloat(), array.shape());
    }

    /**
     * Parses one .npy file into an array of its logical shape (a Fortran-ordered file gives an
     * f-ordered array). {@code name} labels error messages.
     *
     * @throws IOException if the bytes are not a well-formed .npy file
     * @throws IllegalArgumentException if its dtype is not {@code <f4} or {@code <f8}
     */
    public static INDArray decode(String name, byte[] npy) throws IOException {
        Npy.Array a = Npy.read(npy, "array '" + name + "'");
        char order = a.fortranOrder() ? 'f' : 'c';
        switch (a.descr()) {
            case "<f4": return Nd4j.create(a.floats(), a.shape(), order);
            case "<f8": return Nd4j.create(a.doubles(), a.shape(), order);
            default:
                throw new IllegalArgumentException("array '" + name + "': dtype '" + a.descr()
                        + "' is not supported (expected '<f4' or '<f8'; save with numpy.float32 or numpy.float64)");
        }
    }

    /** NumPy's dtype string for a parameter data type; only float32/float64 travel. */
    static String descrOf(DataType type) {
        switch (type) {
            case FLOAT: return "<f4";
            case DOUBLE: return "<f8";
            default:
                throw new IllegalArgumentException("data type " + type
                        + " cannot be exported to .npy; convert the network to FLOAT or DOUBLE first");
        }
    }

    /** Loads {@code file} into {@code model}'s parameters; see the class note for the checks. */
    public static void load(Path file, Model model) throws IOException {
        assign(readArrays(file), model);
    }

    /**
     * Copies {@code arrays} into {@code model}'s parameters after validating all of them.
     *
     * @throws IllegalArgumentException naming the first array that is extra, missing, of the wrong
     *     shape, or holds a NaN/Inf value
     */
    public static void assign(Map<String, INDArray> arrays, Model model) {
        Map<String, INDArray> params = namedParams(model);
        TreeSet<String> extra = new TreeSet<>(arrays.keySet());
        extra.removeAll(params.keySet());
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException("array '" + extra.first() + "' matches no parameter of the network"
                    + " (expected names: " + params.keySet() + ")");
        }
        for (Map.Entry<String, INDArray> p : params.entrySet()) {
            INDArray a = arrays.get(p.getKey());
            if (a == null) {
                throw new IllegalArgumentException("array '" + p.getKey() + "' is missing (expected shape "
                        + Arrays.toString(p.getValue().shape()) + ")");
            }
            if (!Arrays.equals(a.shape(), p.getValue().shape())) {
                throw new IllegalArgumentException("array '" + p.getKey() + "' has shape " + Arrays.toString(a.shape())
                        + ", expected " + Arrays.toString(p.getValue().shape()));
            }
            checkFinite(p.getKey(), a);
        }
        for (Map.Entry<String, INDArray> p : params.entrySet()) {
            INDArray a = arrays.get(p.getKey());
            p.getValue().assign(a.dataType() == p.getValue().dataType() ? a : a.castTo(p.getValue().dataType()));
        }
    }

    private static void checkFinite(String name, INDArray a) {
        double[] v = a.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("array '" + name + "' holds " + v[i] + " at flat index " + i
                        + " (C order); parameters must be finite");
            }
        }
    }

    private static Layer[] layersOf(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) model).getLayers();
        }
        if (model instanceof ComputationGraph) {
            return ((ComputationGraph) model).getLayers();
        }
        throw new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph are supported, not "
                + model.getClass().getName());
    }
}
