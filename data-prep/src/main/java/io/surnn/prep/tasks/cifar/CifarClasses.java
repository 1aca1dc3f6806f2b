package io.surnn.prep.tasks.cifar;

import java.util.List;

/** CIFAR-10's class names in the official label-id order (batches.meta.txt). */
public final class CifarClasses {
    private CifarClasses() {}

    public static final List<String> NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** Label id of a class folder name (case-insensitive), or -1 if it is not a CIFAR-10 class. */
    public static int idOf(String name) {
        return NAMES.indexOf(name.toLowerCase(java.util.Locale.ROOT));
    }
}
