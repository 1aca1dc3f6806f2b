package io.surnn.prep.core;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Turns ordered records into rows of the CLASSIFICATION schema (index, tokens, label) with the dense
 * index the dataset format requires. Shared by the IMDB, CIFAR-10, MNIST and Pathfinder tasks.
 *
 * <p>The index is the record's rank in the order given (partition order, then order within the
 * partition), assigned by {@code zipWithIndex}: records left out as bad leave no gaps.
 */
public final class SequenceRows {
    private SequenceRows() {}

    /** Rows for records already in their final order. */
    public static JavaRDD<Row> classification(JavaRDD<LabelledSeq> ordered) {
        return ordered.zipWithIndex().map(t -> RowFactory.create(t._2(), t._1().tokens, t._1().label));
    }

    /**
     * Lazily maps {@code it} through {@code f}, leaving out elements for which {@code f} returns null
     * (records dropped as bad). Keeps a streamed archive streaming: nothing is buffered.
     */
    public static <A, B> Iterator<B> mapNonNull(Iterator<A> it, Function<A, B> f) {
        return new Iterator<>() {
            private B next;

            @Override
            public boolean hasNext() {
                while (next == null && it.hasNext()) {
                    next = f.apply(it.next());
                }
                return next != null;
            }

            @Override
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                B out = next;
                next = null;
                return out;
            }
        };
    }

    /** Rows for records ordered by their key (e.g. a path inside the corpus). */
    public static <K extends Comparable<K>> JavaRDD<Row> classificationSorted(JavaPairRDD<K, LabelledSeq> keyed,
                                                                            int partitions) {
        return classification(keyed.sortByKey(true, partitions).values());
    }
}
