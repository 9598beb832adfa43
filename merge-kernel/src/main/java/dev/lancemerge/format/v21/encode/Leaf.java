package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.data.ColumnData;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One physical 2.1 column of a top-level field: the leaf's Arrow field, all of its slots (including
 * slots under null lists, which the level builder skips) and the layers above it, outermost first;
 * the last layer is the leaf's own validity.
 */
record Leaf(Field field, ColumnData data, List<StructuralLayer> layers) {}
