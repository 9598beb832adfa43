package dev.lancemerge.format.v21;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.util.List;

/**
 * What one structural page (or part of one) decodes to before nesting is rebuilt: repetition and
 * definition levels (null when absent) and the visible leaf items, one slot per item including
 * null items.
 */
record PageData(int[] rep, int[] def, ColumnData items, List<RepDefLayer> layers, int levels) {}
