package dev.lancemerge.format.v21;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.FieldEncoder;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.v21.encode.StructuralLeafPages;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Encodes pages in Lance 2.1 structural form: one page per leaf column (structs and lists are
 * transparent and only contribute rep/def levels), in the layouts Lance itself writes but without
 * compression (bit-packed integers aside, when asked for) — mini-block for values under 256 bytes, full-zip for wider ones, the constant
 * layout for pages with no values. Pages written this way are also valid 2.2 pages (2.2 readers
 * accept 2.1 chunk metadata), so the same encoder serves 2.2 files.
 */
public final class StructuralFieldEncoder implements FieldEncoder {
  private final FileVersion version;
  private final boolean bitpack;

  public StructuralFieldEncoder(FileVersion version) {
    this(version, false);
  }

  /**
   * With {@code bitpack}, integer columns whose values leave high bits unused are written with Lance's
   * inline bit-packing (as Lance does) instead of flat.
   */
  public StructuralFieldEncoder(FileVersion version, boolean bitpack) {
    if (!version.isStructural()) {
      throw new IllegalArgumentException("structural encoding needs file version 2.1 or later, not " + version.label());
    }
    this.version = version;
    this.bitpack = bitpack;
  }

  public FileVersion version() {
    return version;
  }

  @Override
  public List<EncodedPage> encode(Field field, ColumnData rows) {
    return StructuralLeafPages.encode(field, rows, bitpack);
  }
}
