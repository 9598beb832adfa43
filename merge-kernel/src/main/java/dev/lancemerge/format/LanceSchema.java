package dev.lancemerge.format;

import com.google.protobuf.ByteString;
import dev.lancemerge.format.proto.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The schema of a Lance file as Arrow sees it, its key/value metadata, and which physical column
 * holds which field (every field in pre-order for 2.0; only leaves for 2.1 and later).
 */
public final class LanceSchema {
  private static final int MAX_FIELDS = 100_000;

  private final org.apache.arrow.vector.types.pojo.Schema arrow;
  private final List<LanceColumn> columns;

  private LanceSchema(org.apache.arrow.vector.types.pojo.Schema arrow, List<LanceColumn> columns) {
    this.arrow = arrow;
    this.columns = List.copyOf(columns);
  }

  /** The Arrow schema, with the file's schema metadata. */
  public org.apache.arrow.vector.types.pojo.Schema arrow() {
    return arrow;
  }

  /** Schema metadata (insertion order kept). */
  public Map<String, String> metadata() {
    return arrow.getCustomMetadata();
  }

  /** Physical columns, in file order. */
  public List<LanceColumn> columns() {
    return columns;
  }

  /** Physical columns that hold the data of top-level field {@code topLevel}. */
  public List<LanceColumn> columnsOf(int topLevel) {
    List<LanceColumn> out = new ArrayList<>();
    for (LanceColumn c : columns) {
      if (c.topLevel() == topLevel) {
        out.add(c);
      }
    }
    return out;
  }

  /** Builds the schema for a file written as {@code version}. */
  public static LanceSchema of(org.apache.arrow.vector.types.pojo.Schema arrow, FileVersion version) {
    List<LanceColumn> cols = new ArrayList<>();
    List<Field> fields = arrow.getFields();
    for (int i = 0; i < fields.size(); i++) {
      addColumns(fields.get(i), i, version, cols);
    }
    return new LanceSchema(arrow, cols);
  }

  private static void addColumns(Field f, int top, FileVersion version, List<LanceColumn> out) {
    ArrowType t = f.getType();
    boolean nested = t instanceof ArrowType.List || t instanceof ArrowType.LargeList || t instanceof ArrowType.Struct;
    if (!version.isStructural() || !nested) {
      out.add(new LanceColumn(out.size(), f, top));
    }
    if (nested) {
      for (Field c : f.getChildren()) {
        addColumns(c, top, version, out);
      }
    }
  }

  /** Reads the schema from its protobuf form (global buffer 0). */
  public static LanceSchema fromProto(Schema proto, FileVersion version, Path file) throws LanceFormatException {
    int n = proto.getFieldsCount();
    if (n > MAX_FIELDS) {
      throw new LanceFormatException(file, "schema declares " + n + " fields (limit " + MAX_FIELDS + ")");
    }
    Map<Integer, dev.lancemerge.format.proto.Field> byId = new HashMap<>();
    Map<Integer, List<Integer>> childrenOf = new LinkedHashMap<>();
    List<Integer> roots = new ArrayList<>();
    for (dev.lancemerge.format.proto.Field pf : proto.getFieldsList()) {
      if (byId.put(pf.getId(), pf) != null) {
        throw new LanceFormatException(file, "schema has two fields with id " + pf.getId());
      }
      if (pf.getParentId() < 0) {
        roots.add(pf.getId());
      } else {
        childrenOf.computeIfAbsent(pf.getParentId(), k -> new ArrayList<>()).add(pf.getId());
      }
    }
    for (Integer parent : childrenOf.keySet()) {
      if (!byId.containsKey(parent)) {
        throw new LanceFormatException(file, "schema field refers to unknown parent id " + parent);
      }
    }
    List<Field> fields = new ArrayList<>();
    for (int id : roots) {
      fields.add(toArrow(id, byId, childrenOf, file, 0));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    proto.getMetadataMap().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> meta.put(e.getKey(), e.getValue().toString(StandardCharsets.UTF_8)));
    return of(new org.apache.arrow.vector.types.pojo.Schema(fields, meta), version);
  }

  private static Field toArrow(
      int id,
      Map<Integer, dev.lancemerge.format.proto.Field> byId,
      Map<Integer, List<Integer>> childrenOf,
      Path file,
      int depth)
      throws LanceFormatException {
    if (depth > 64) {
      throw new LanceFormatException(file, "schema nests deeper than 64 levels (a cycle?)");
    }
    dev.lancemerge.format.proto.Field pf = byId.get(id);
    List<Field> children = new ArrayList<>();
    for (int c : childrenOf.getOrDefault(id, List.of())) {
      children.add(toArrow(c, byId, childrenOf, file, depth + 1));
    }
    Map<String, String> meta = null;
    if (pf.getMetadataCount() > 0) {
      meta = new LinkedHashMap<>();
      for (Map.Entry<String, ByteString> e : pf.getMetadataMap().entrySet()) {
        meta.put(e.getKey(), e.getValue().toString(StandardCharsets.UTF_8));
      }
    }
    try {
      return LogicalTypes.toArrowField(pf.getName(), pf.getLogicalType(), pf.getNullable(), meta, children);
    } catch (IllegalArgumentException e) {
      throw new LanceFormatException(file, "field '" + pf.getName() + "': " + e.getMessage());
    }
  }

  /** The protobuf form of this schema: fields flattened pre-order with ids 0, 1, 2, ... */
  public Schema toProto() {
    Schema.Builder b = Schema.newBuilder();
    int[] nextId = {0};
    for (Field f : arrow.getFields()) {
      addProto(f, -1, nextId, b);
    }
    if (arrow.getCustomMetadata() != null) {
      arrow.getCustomMetadata().forEach((k, v) -> b.putMetadata(k, ByteString.copyFromUtf8(v)));
    }
    return b.build();
  }

  private static void addProto(Field f, int parent, int[] nextId, Schema.Builder b) {
    int id = nextId[0]++;
    dev.lancemerge.format.proto.Field.Builder pf =
        dev.lancemerge.format.proto.Field.newBuilder()
            .setName(f.getName())
            .setId(id)
            .setParentId(parent)
            .setLogicalType(LogicalTypes.toLogicalType(f))
            .setNullable(f.isNullable());
    if (f.getMetadata() != null) {
      f.getMetadata().forEach((k, v) -> pf.putMetadata(k, ByteString.copyFromUtf8(v)));
    }
    b.addFields(pf);
    if (!(f.getType() instanceof ArrowType.FixedSizeList)) {
      for (Field c : f.getChildren()) {
        addProto(c, id, nextId, b);
      }
    }
  }
}
