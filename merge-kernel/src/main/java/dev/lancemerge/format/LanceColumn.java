package dev.lancemerge.format;

import org.apache.arrow.vector.types.pojo.Field;

/**
 * One physical column of a Lance file and the schema field whose data it holds.
 *
 * @param index position of the column in the file's column metadata table
 * @param field the Arrow field stored by this column (a leaf in 2.1; any field in 2.0)
 * @param topLevel index of the top-level schema field this column belongs to
 */
public record LanceColumn(int index, Field field, int topLevel) {}
