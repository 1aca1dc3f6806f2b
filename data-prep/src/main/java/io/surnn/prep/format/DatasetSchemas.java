package io.surnn.prep.format;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import static io.surnn.prep.format.DatasetFormat.*;

/**
 * The Spark schema of a shard for each {@link DatasetFormat.Kind}: the one place both the writer
 * (data-prep) and the reader (driver) take it from. Column order is part of the contract
 * ({@code index} is always column 0); no column is nullable and arrays hold no nulls.
 */
public final class DatasetSchemas {
    private DatasetSchemas() {}

    private static StructField longCol(String name) {
        return DataTypes.createStructField(name, DataTypes.LongType, false);
    }

    private static StructField intCol(String name) {
        return DataTypes.createStructField(name, DataTypes.IntegerType, false);
    }

    private static StructField intsCol(String name) {
        return DataTypes.createStructField(name, DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    }

    public static final StructType LM = DataTypes.createStructType(new StructField[]{
            longCol(COL_INDEX), longCol(COL_OFFSET), intsCol(COL_TOKENS)});
    public static final StructType CLASSIFICATION = DataTypes.createStructType(new StructField[]{
            longCol(COL_INDEX), intsCol(COL_TOKENS), intCol(COL_LABEL)});
    public static final StructType PAIR = DataTypes.createStructType(new StructField[]{
            longCol(COL_INDEX), intsCol(COL_TOKENS), intsCol(COL_TOKENS2), intCol(COL_LABEL)});
    public static final StructType COPY = DataTypes.createStructType(new StructField[]{
            longCol(COL_INDEX), intsCol(COL_TOKENS), intsCol(COL_TARGETS)});

    /** The schema of a record of {@code kind}. */
    public static StructType of(Kind kind) {
        switch (kind) {
            case LM: return LM;
            case CLASSIFICATION: return CLASSIFICATION;
            case PAIR: return PAIR;
            case COPY: return COPY;
            default: throw new IllegalArgumentException("unknown dataset kind " + kind);
        }
    }

    /**
     * True if {@code actual} has the kind's columns with the same names and types, in order
     * (nullability ignored: Parquet round trips may relax it).
     */
    public static boolean matches(Kind kind, StructType actual) {
        StructType want = of(kind);
        if (actual.fields().length != want.fields().length) return false;
        for (int i = 0; i < want.fields().length; i++) {
            StructField a = actual.fields()[i], w = want.fields()[i];
            if (!a.name().equals(w.name())) return false;
            if (!a.dataType().sameType(w.dataType())) return false;
        }
        return true;
    }
}
