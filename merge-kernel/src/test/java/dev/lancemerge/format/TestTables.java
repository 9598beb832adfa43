package dev.lancemerge.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Seeded tables covering every type the reader and writer support, with nulls, for oracle tests. */
public final class TestTables {
  private TestTables() {}

  public static Field nullable(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), null);
  }

  public static Field fsl(String name, ArrowType item, int dim) {
    return new Field(name, FieldType.nullable(new ArrowType.FixedSizeList(dim)), List.of(nullable("item", item)));
  }

  public static Field list(String name, ArrowType item) {
    return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(nullable("item", item)));
  }

  /** Every supported type; {@code withLists} adds list columns. */
  public static Schema allTypes(boolean withLists, Map<String, String> metadata) {
    List<Field> f = new ArrayList<>(List.of(
        nullable("_rowid", new ArrowType.Int(64, false)),
        nullable("i8", new ArrowType.Int(8, true)),
        nullable("u8", new ArrowType.Int(8, false)),
        nullable("i16", new ArrowType.Int(16, true)),
        nullable("u16", new ArrowType.Int(16, false)),
        nullable("i32", new ArrowType.Int(32, true)),
        nullable("u32", new ArrowType.Int(32, false)),
        nullable("i64", new ArrowType.Int(64, true)),
        nullable("f32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
        nullable("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
        nullable("flag", ArrowType.Bool.INSTANCE),
        nullable("day", new ArrowType.Date(DateUnit.DAY)),
        nullable("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
        nullable("name", ArrowType.Utf8.INSTANCE),
        nullable("category", ArrowType.Utf8.INSTANCE),
        nullable("text", ArrowType.LargeUtf8.INSTANCE),
        nullable("blob", ArrowType.Binary.INSTANCE),
        nullable("always_null", new ArrowType.Int(32, true)),
        fsl("small_vec", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), 4),
        fsl("vec", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), 128),
        fsl("code", new ArrowType.Int(8, false), 16)));
    if (withLists) {
      f.add(list("ints", new ArrowType.Int(32, true)));
      f.add(list("tags", ArrowType.Utf8.INSTANCE));
    }
    return new Schema(f, metadata);
  }

  /** Fills a batch of {@code n} rows starting at global row {@code start}; null about 1 in 7. */
  public static VectorSchemaRoot batch(Schema schema, BufferAllocator alloc, long seed, long start, int n) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
    root.allocateNew();
    Random r = new Random(seed * 31 + start);
    for (FieldVector v : root.getFieldVectors()) {
      String name = v.getName();
      for (int i = 0; i < n; i++) {
        long row = start + i;
        boolean isNull = !name.equals("_rowid") && (name.equals("always_null") || r.nextInt(7) == 0);
        if (isNull) {
          setNull(v, i);
          continue;
        }
        fill(v, name, i, row, r);
      }
      v.setValueCount(n);
    }
    root.setRowCount(n);
    return root;
  }

  private static void setNull(FieldVector v, int i) {
    if (v instanceof FixedSizeListVector fv) {
      fv.setNull(i);
      FieldVector child = fv.getDataVector();
      int dim = fv.getListSize();
      for (int k = 0; k < dim; k++) {
        setChildZero(child, i * dim + k);
      }
    } else if (v instanceof ListVector lv) {
      lv.setNull(i);
      // keep offsets monotone for the null slot
      lv.getOffsetBuffer().setInt((long) (i + 1) * 4, lv.getOffsetBuffer().getInt((long) i * 4));
      lv.setLastSet(i);
    } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector vw) {
      vw.setNull(i);
    } else if (v instanceof org.apache.arrow.vector.BaseLargeVariableWidthVector vw) {
      vw.setNull(i);
    } else {
      ((org.apache.arrow.vector.BaseFixedWidthVector) v).setNull(i);
    }
  }

  private static void setChildZero(FieldVector child, int idx) {
    if (child instanceof Float4Vector f) {
      f.setSafe(idx, 0f);
    } else if (child instanceof UInt1Vector u) {
      u.setSafe(idx, 0);
    }
  }

  private static final String[] CATEGORIES = {"red", "green", "blue", "cyan", "magenta"};

  private static void fill(FieldVector v, String name, int i, long row, Random r) {
    switch (name) {
      case "_rowid": ((UInt8Vector) v).setSafe(i, ((row / 700) << 32) | (row % 700)); break;
      case "i8": ((TinyIntVector) v).setSafe(i, (byte) r.nextInt()); break;
      case "u8": ((UInt1Vector) v).setSafe(i, r.nextInt(256)); break;
      case "i16": ((SmallIntVector) v).setSafe(i, (short) r.nextInt()); break;
      case "u16": ((UInt2Vector) v).setSafe(i, (char) r.nextInt(65536)); break;
      case "i32": ((IntVector) v).setSafe(i, r.nextInt(1000) - 500); break;
      case "u32": ((UInt4Vector) v).setSafe(i, r.nextInt()); break;
      case "i64": ((BigIntVector) v).setSafe(i, r.nextLong()); break;
      case "f32": ((Float4Vector) v).setSafe(i, r.nextInt(50) == 0 ? Float.NaN : r.nextFloat() * 10 - 5); break;
      case "f64": ((Float8Vector) v).setSafe(i, r.nextGaussian()); break;
      case "flag": ((BitVector) v).setSafe(i, r.nextBoolean() ? 1 : 0); break;
      case "day": ((DateDayVector) v).setSafe(i, 19000 + (int) (row % 400)); break;
      case "ts": ((TimeStampMicroTZVector) v).setSafe(i, 1_700_000_000_000_000L + row * 1_000_003L); break;
      case "name": ((VarCharVector) v).setSafe(i, ("name-" + row + "-" + r.nextInt(1000)).repeat(r.nextInt(3)).getBytes(StandardCharsets.UTF_8)); break;
      case "category": ((VarCharVector) v).setSafe(i, CATEGORIES[r.nextInt(CATEGORIES.length)].getBytes(StandardCharsets.UTF_8)); break;
      case "text": {
        int len = r.nextInt(40) == 0 ? 300 + r.nextInt(600) : r.nextInt(60);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
          sb.append("lorem ipsum dolor ").append(r.nextInt(100)).append(' ');
        }
        ((LargeVarCharVector) v).setSafe(i, sb.substring(0, len).getBytes(StandardCharsets.UTF_8));
        break;
      }
      case "blob": {
        byte[] b = new byte[r.nextInt(20)];
        r.nextBytes(b);
        ((VarBinaryVector) v).setSafe(i, b);
        break;
      }
      case "small_vec":
      case "vec": {
        FixedSizeListVector fv = (FixedSizeListVector) v;
        int dim = fv.getListSize();
        Float4Vector child = (Float4Vector) fv.getDataVector();
        fv.setNotNull(i);
        for (int k = 0; k < dim; k++) {
          child.setSafe(i * dim + k, r.nextFloat());
        }
        break;
      }
      case "code": {
        FixedSizeListVector fv = (FixedSizeListVector) v;
        UInt1Vector child = (UInt1Vector) fv.getDataVector();
        fv.setNotNull(i);
        for (int k = 0; k < 16; k++) {
          child.setSafe(i * 16 + k, r.nextInt(256));
        }
        break;
      }
      case "ints": {
        ListVector lv = (ListVector) v;
        UnionListWriter w = lv.getWriter();
        w.setPosition(i);
        w.startList();
        int len = r.nextInt(5);
        for (int k = 0; k < len; k++) {
          w.integer().writeInt(r.nextInt(100));
        }
        w.endList();
        break;
      }
      case "tags": {
        ListVector lv = (ListVector) v;
        UnionListWriter w = lv.getWriter();
        w.setPosition(i);
        w.startList();
        int len = r.nextInt(4);
        for (int k = 0; k < len; k++) {
          byte[] s = ("t" + r.nextInt(20)).getBytes(StandardCharsets.UTF_8);
          try (var buf = v.getAllocator().buffer(s.length)) {
            buf.setBytes(0, s);
            w.varChar().writeVarChar(0, s.length, buf);
          }
        }
        w.endList();
        break;
      }
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /** Values normalised for equality: byte arrays by content, lists element-wise. */
  public static Object normalize(Object o) {
    if (o instanceof byte[] b) {
      return ByteBuffer.wrap(b);
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object e : l) {
        out.add(normalize(e));
      }
      return out;
    }
    if (o instanceof org.apache.arrow.vector.util.Text t) {
      return t.toString();
    }
    return o;
  }

  /** Row {@code r} of a root, normalised. */
  public static List<Object> row(VectorSchemaRoot root, int r) {
    List<Object> out = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      out.add(normalize(v.getObject(r)));
    }
    return out;
  }
}
