package dev.lancemerge.format.v20;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Seeded random columns of every type the 2.0 reader handles. Every value is a pure function of
 * (seed, column, row), so a file can be written in any number of batches (or by another JVM) and
 * still hold the same data.
 */
final class LegacyTestData {
  private LegacyTestData() {}

  /** How a column's rows are nulled. */
  enum Nulls {
    /** Non-nullable field, no nulls. */
    NONE,
    /** About one row in eight is null. */
    SOME,
    /** Every row is null. */
    ALL,
    /** Rows in the first and third quarter of the file are null, so pages differ (all, none, some). */
    BLOCKS
  }

  /**
   * One column: its field and how it is nulled; {@code distinct} bounds string variety (0 =
   * unbounded), {@code maxLength} the length of random strings and binary values.
   */
  record Column(Field field, Nulls nulls, int distinct, int maxLength) {
    Column(Field field, Nulls nulls, int distinct) {
      this(field, nulls, distinct, 40);
    }

    Column(Field field, Nulls nulls) {
      this(field, nulls, 0);
    }
  }

  static Field field(String name, ArrowType type, boolean nullable, Field... children) {
    return new Field(name, new FieldType(nullable, type, null), List.of(children));
  }

  static Field withMetadata(Field f, Map<String, String> md) {
    return new Field(f.getName(), new FieldType(f.isNullable(), f.getType(), null, md), f.getChildren());
  }

  static Column col(String name, ArrowType type, Nulls nulls, Field... children) {
    return new Column(field(name, type, nulls != Nulls.NONE, children), nulls);
  }

  static Field item(ArrowType type) {
    return field("item", type, true);
  }

  /** The columns of the main oracle test: every supported type, with nulls in several patterns. */
  static List<Column> allTypes() {
    List<Column> c = new ArrayList<>();
    c.add(col("i8", new ArrowType.Int(8, true), Nulls.SOME));
    c.add(col("u8", new ArrowType.Int(8, false), Nulls.NONE));
    c.add(col("i16", new ArrowType.Int(16, true), Nulls.BLOCKS));
    c.add(col("u16", new ArrowType.Int(16, false), Nulls.SOME));
    c.add(col("i32", new ArrowType.Int(32, true), Nulls.NONE));
    c.add(col("u32", new ArrowType.Int(32, false), Nulls.SOME));
    c.add(col("i64", new ArrowType.Int(64, true), Nulls.SOME));
    c.add(col("u64", new ArrowType.Int(64, false), Nulls.BLOCKS));
    c.add(col("f16", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF), Nulls.SOME));
    c.add(col("f32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), Nulls.SOME));
    c.add(col("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), Nulls.NONE));
    c.add(col("bool", ArrowType.Bool.INSTANCE, Nulls.SOME));
    c.add(col("bool_nn", ArrowType.Bool.INSTANCE, Nulls.NONE));
    c.add(col("bool_blocks", ArrowType.Bool.INSTANCE, Nulls.BLOCKS));
    c.add(col("date32", new ArrowType.Date(DateUnit.DAY), Nulls.SOME));
    c.add(col("date64", new ArrowType.Date(DateUnit.MILLISECOND), Nulls.NONE));
    c.add(col("time32s", new ArrowType.Time(TimeUnit.SECOND, 32), Nulls.SOME));
    c.add(col("time32ms", new ArrowType.Time(TimeUnit.MILLISECOND, 32), Nulls.NONE));
    c.add(col("time64us", new ArrowType.Time(TimeUnit.MICROSECOND, 64), Nulls.SOME));
    c.add(col("time64ns", new ArrowType.Time(TimeUnit.NANOSECOND, 64), Nulls.NONE));
    c.add(col("ts_us_utc", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), Nulls.SOME));
    c.add(col("ts_ns", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), Nulls.BLOCKS));
    c.add(col("ts_s", new ArrowType.Timestamp(TimeUnit.SECOND, null), Nulls.NONE));
    c.add(col("dur_ms", new ArrowType.Duration(TimeUnit.MILLISECOND), Nulls.SOME));
    c.add(col("dec128", new ArrowType.Decimal(20, 4, 128), Nulls.SOME));
    c.add(col("dec256", new ArrowType.Decimal(40, 2, 256), Nulls.SOME));
    c.add(col("fsb", new ArrowType.FixedSizeBinary(6), Nulls.SOME));
    c.add(col("null_type", ArrowType.Null.INSTANCE, Nulls.ALL));
    c.add(col("all_null_i32", new ArrowType.Int(32, true), Nulls.ALL));
    c.add(col("all_null_str", ArrowType.Utf8.INSTANCE, Nulls.ALL));
    c.add(col("all_null_f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), Nulls.ALL));
    c.add(col("str", ArrowType.Utf8.INSTANCE, Nulls.SOME));
    c.add(col("str_nn", ArrowType.Utf8.INSTANCE, Nulls.NONE));
    c.add(col("str_blocks", ArrowType.Utf8.INSTANCE, Nulls.BLOCKS));
    c.add(new Column(field("str_dict", ArrowType.Utf8.INSTANCE, true), Nulls.SOME, 20));
    c.add(new Column(field("str_dict_nn", ArrowType.Utf8.INSTANCE, false), Nulls.NONE, 7));
    c.add(new Column(field("str_dict_blocks", ArrowType.Utf8.INSTANCE, true), Nulls.BLOCKS, 50));
    c.add(col("bin", ArrowType.Binary.INSTANCE, Nulls.SOME));
    c.add(col("lstr", ArrowType.LargeUtf8.INSTANCE, Nulls.SOME));
    c.add(new Column(field("lstr_lowcard", ArrowType.LargeUtf8.INSTANCE, true), Nulls.SOME, 5));
    c.add(col("lbin", ArrowType.LargeBinary.INSTANCE, Nulls.NONE));
    c.add(col("fsl_f32", new ArrowType.FixedSizeList(8), Nulls.NONE,
        field("item", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), true)));
    c.add(col("fsl_i16_nulls", new ArrowType.FixedSizeList(3), Nulls.SOME, item(new ArrowType.Int(16, true))));
    c.add(col("fsl_u8", new ArrowType.FixedSizeList(16), Nulls.BLOCKS, item(new ArrowType.Int(8, false))));
    c.add(col("fsl_bool", new ArrowType.FixedSizeList(5), Nulls.NONE, item(ArrowType.Bool.INSTANCE)));
    c.add(col("fsl_fsl", new ArrowType.FixedSizeList(2), Nulls.NONE,
        field("item", new ArrowType.FixedSizeList(3), true, item(new ArrowType.Int(32, true)))));
    c.add(col("list_i32", ArrowType.List.INSTANCE, Nulls.SOME, item(new ArrowType.Int(32, true))));
    c.add(col("list_i64_nn", ArrowType.List.INSTANCE, Nulls.NONE, item(new ArrowType.Int(64, true))));
    c.add(col("list_str", ArrowType.List.INSTANCE, Nulls.SOME, item(ArrowType.Utf8.INSTANCE)));
    c.add(new Column(field("list_str_dict", ArrowType.List.INSTANCE, true, item(ArrowType.Utf8.INSTANCE)), Nulls.SOME, 6));
    c.add(col("list_bool", ArrowType.List.INSTANCE, Nulls.BLOCKS, item(ArrowType.Bool.INSTANCE)));
    c.add(col("llist_f64", ArrowType.LargeList.INSTANCE, Nulls.SOME, item(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));
    c.add(col("list_all_null", ArrowType.List.INSTANCE, Nulls.ALL, item(new ArrowType.Int(32, true))));
    c.add(col("list_fsl", ArrowType.List.INSTANCE, Nulls.SOME,
        field("item", new ArrowType.FixedSizeList(2), true, item(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)))));
    c.add(col("list_list", ArrowType.List.INSTANCE, Nulls.SOME,
        field("item", ArrowType.List.INSTANCE, true, item(new ArrowType.Int(16, true)))));
    c.add(col("struct", ArrowType.Struct.INSTANCE, Nulls.NONE,
        field("a", new ArrowType.Int(32, true), true), field("b", ArrowType.Utf8.INSTANCE, true),
        field("c", ArrowType.List.INSTANCE, true, item(new ArrowType.Int(8, true)))));
    c.add(col("list_struct", ArrowType.List.INSTANCE, Nulls.SOME,
        field("item", ArrowType.Struct.INSTANCE, false, field("x", new ArrowType.Int(64, true), true),
            field("y", ArrowType.Utf8.INSTANCE, true))));
    return c;
  }

  /**
   * Lists with enough rows that Lance's 2.0 writer cuts the offsets column into several pages (it
   * does so only after about 8 MiB of offsets per column, i.e. about 2 million 32-bit offsets).
   */
  static List<Column> manyLists() {
    List<Column> c = new ArrayList<>();
    c.add(col("l_i8", ArrowType.List.INSTANCE, Nulls.BLOCKS, item(new ArrowType.Int(8, true))));
    c.add(col("ll_i32", ArrowType.LargeList.INSTANCE, Nulls.SOME, item(new ArrowType.Int(32, true))));
    c.add(new Column(field("l_str", ArrowType.List.INSTANCE, true, item(ArrowType.Utf8.INSTANCE)), Nulls.SOME, 4));
    return c;
  }

  /** String columns whose field metadata asks Lance for a compression scheme ({@code lance-encoding:compression}). */
  static List<Column> compressed(String scheme) {
    Map<String, String> md = Map.of("lance-encoding:compression", scheme);
    List<Column> c = new ArrayList<>();
    c.add(new Column(withMetadata(field("str", ArrowType.Utf8.INSTANCE, true), md), Nulls.SOME));
    c.add(new Column(withMetadata(field("bin", ArrowType.Binary.INSTANCE, false), md), Nulls.NONE));
    c.add(new Column(withMetadata(field("tiny_bin", ArrowType.Binary.INSTANCE, true), md), Nulls.SOME, 0, 1));
    c.add(new Column(withMetadata(field("str_blocks", ArrowType.Utf8.INSTANCE, true), md), Nulls.BLOCKS));
    return c;
  }

  static Schema schema(List<Column> columns) {
    List<Field> fields = new ArrayList<>();
    for (Column c : columns) {
      fields.add(c.field());
    }
    return new Schema(fields);
  }

  /** Rows {@code [firstRow, firstRow + rows)} of a file of {@code totalRows} rows. */
  static VectorSchemaRoot batch(BufferAllocator allocator, List<Column> columns, long seed, long firstRow, int rows,
      long totalRows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema(columns), allocator);
    try {
      for (int c = 0; c < columns.size(); c++) {
        Column col = columns.get(c);
        FieldVector v = root.getVector(c);
        v.allocateNew();
        Filler filler = new Filler(col.distinct(), col.maxLength());
        for (int i = 0; i < rows; i++) {
          long row = firstRow + i;
          SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + c * 0xBF58476D1CE4E5B9L + row);
          boolean isNull = switch (col.nulls()) {
            case NONE -> false;
            case ALL -> true;
            case SOME -> r.nextInt(8) == 0;
            case BLOCKS -> (row * 4 / Math.max(1, totalRows)) % 2 == 0 || (row * 4 / Math.max(1, totalRows) == 3 && r.nextInt(5) == 0);
          };
          if (isNull) {
            setNull(v, i);
          } else {
            filler.set(v, i, r, 0);
          }
        }
        v.setValueCount(rows);
      }
      root.setRowCount(rows);
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static void setNull(FieldVector v, int i) {
    if (v instanceof NullVector) {
      return;
    }
    if (v instanceof BaseFixedWidthVector f) {
      f.setNull(i);
    } else if (v instanceof BaseVariableWidthVector b) {
      b.setNull(i);
    } else if (v instanceof BaseLargeVariableWidthVector b) {
      b.setNull(i);
    } else if (v instanceof ListVector l) {
      l.setNull(i);
    } else if (v instanceof LargeListVector l) {
      l.setNull(i);
    } else if (v instanceof FixedSizeListVector l) {
      l.setNull(i);
    } else if (v instanceof StructVector s) {
      s.setNull(i);
    } else {
      throw new IllegalArgumentException("no null setter for " + v.getClass());
    }
  }

  /** Writes one random value; nested values recurse into children with item nulls of their own. */
  private static final class Filler {
    private final int distinct;
    private final int maxLength;

    Filler(int distinct, int maxLength) {
      this.distinct = distinct;
      this.maxLength = maxLength;
    }

    void set(FieldVector v, int i, SplittableRandom r, int depth) {
      if (v instanceof TinyIntVector x) {
        x.setSafe(i, (byte) r.nextInt());
      } else if (v instanceof UInt1Vector x) {
        x.setSafe(i, (byte) r.nextInt());
      } else if (v instanceof SmallIntVector x) {
        x.setSafe(i, (short) r.nextInt());
      } else if (v instanceof UInt2Vector x) {
        x.setSafe(i, (char) r.nextInt());
      } else if (v instanceof IntVector x) {
        x.setSafe(i, r.nextInt());
      } else if (v instanceof UInt4Vector x) {
        x.setSafe(i, r.nextInt());
      } else if (v instanceof BigIntVector x) {
        x.setSafe(i, r.nextLong());
      } else if (v instanceof UInt8Vector x) {
        x.setSafe(i, r.nextLong());
      } else if (v instanceof Float2Vector x) {
        x.setSafe(i, (short) (r.nextInt(0x7C00) | (r.nextBoolean() ? 0x8000 : 0)));
      } else if (v instanceof Float4Vector x) {
        x.setSafe(i, r.nextInt(50) == 0 ? Float.NaN : (float) (r.nextGaussian() * 1000));
      } else if (v instanceof Float8Vector x) {
        x.setSafe(i, r.nextInt(50) == 0 ? -0.0 : r.nextGaussian() * 1e6);
      } else if (v instanceof BitVector x) {
        x.setSafe(i, r.nextBoolean() ? 1 : 0);
      } else if (v instanceof DateDayVector x) {
        x.setSafe(i, r.nextInt(-100_000, 100_000));
      } else if (v instanceof DateMilliVector x) {
        x.setSafe(i, r.nextLong(-4_000_000_000_000L, 4_000_000_000_000L));
      } else if (v instanceof TimeSecVector x) {
        x.setSafe(i, r.nextInt(86_400));
      } else if (v instanceof TimeMilliVector x) {
        x.setSafe(i, r.nextInt(86_400_000));
      } else if (v instanceof TimeMicroVector x) {
        x.setSafe(i, r.nextLong(86_400_000_000L));
      } else if (v instanceof TimeNanoVector x) {
        x.setSafe(i, r.nextLong(86_400_000_000_000L));
      } else if (v instanceof TimeStampVector x) {
        x.setSafe(i, r.nextLong(-1L << 40, 1L << 40));
      } else if (v instanceof DurationVector x) {
        x.setSafe(i, r.nextLong());
      } else if (v instanceof DecimalVector x) {
        x.setSafe(i, new BigDecimal(BigInteger.valueOf(r.nextLong() % 100_000_000_000_000L), 4));
      } else if (v instanceof Decimal256Vector x) {
        x.setSafe(i, new BigDecimal(BigInteger.valueOf(r.nextLong()).multiply(BigInteger.valueOf(r.nextLong())), 2));
      } else if (v instanceof FixedSizeBinaryVector x) {
        byte[] b = new byte[x.getByteWidth()];
        r.nextBytes(b);
        x.setSafe(i, b);
      } else if (v instanceof BaseVariableWidthVector x) {
        x.setSafe(i, bytes(r, v.getField().getType()));
      } else if (v instanceof BaseLargeVariableWidthVector x) {
        x.setSafe(i, bytes(r, v.getField().getType()));
      } else if (v instanceof FixedSizeListVector x) {
        x.setNotNull(i);
        FieldVector child = x.getDataVector();
        int dim = x.getListSize();
        for (int k = 0; k < dim; k++) {
          item(child, i * dim + k, r, depth);
        }
        child.setValueCount((i + 1) * dim);
      } else if (v instanceof ListVector x) {
        int start = x.startNewValue(i);
        int len = listLength(r);
        for (int k = 0; k < len; k++) {
          item(x.getDataVector(), start + k, r, depth);
        }
        x.getDataVector().setValueCount(start + len);
        x.endValue(i, len);
      } else if (v instanceof LargeListVector x) {
        long start = x.startNewValue(i);
        int len = listLength(r);
        for (int k = 0; k < len; k++) {
          item(x.getDataVector(), (int) start + k, r, depth);
        }
        x.getDataVector().setValueCount((int) start + len);
        x.endValue(i, len);
      } else if (v instanceof StructVector x) {
        x.setIndexDefined(i);
        for (FieldVector child : x.getChildrenFromFields()) {
          item(child, i, r, depth);
          if (child.getValueCount() <= i) {
            child.setValueCount(i + 1);
          }
        }
      } else {
        throw new IllegalArgumentException("no filler for " + v.getClass());
      }
    }

    private void item(FieldVector child, int index, SplittableRandom r, int depth) {
      if (child.getField().isNullable() && r.nextInt(10) == 0) {
        if (child instanceof BaseRepeatedValueVector || child instanceof FixedSizeListVector || child instanceof StructVector) {
          setNull(child, index);
          if (child instanceof FixedSizeListVector f) {
            int dim = f.getListSize();
            for (int k = 0; k < dim; k++) {
              item(f.getDataVector(), index * dim + k, r, depth + 1);
            }
            f.getDataVector().setValueCount((index + 1) * dim);
          } else if (child instanceof StructVector s) {
            for (FieldVector g : s.getChildrenFromFields()) {
              item(g, index, r, depth + 1);
              if (g.getValueCount() <= index) {
                g.setValueCount(index + 1);
              }
            }
          }
        } else {
          setNull(child, index);
        }
      } else {
        set(child, index, r, depth + 1);
      }
    }

    private int listLength(SplittableRandom r) {
      int k = r.nextInt(10);
      return k < 2 ? 0 : k < 8 ? r.nextInt(1, 4) : r.nextInt(4, 12);
    }

    private byte[] bytes(SplittableRandom r, ArrowType t) {
      boolean text = t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8;
      if (distinct > 0) {
        int k = r.nextInt(distinct);
        return (k == 0 ? "" : "value-" + k + "-" + "x".repeat(k % 7)).getBytes(StandardCharsets.UTF_8);
      }
      int len = r.nextInt(12) == 0 ? 0 : r.nextInt(1, maxLength + 1);
      byte[] b = new byte[len];
      if (text) {
        for (int k = 0; k < len; k++) {
          b[k] = (byte) ('a' + r.nextInt(26));
        }
        if (len > 3 && r.nextInt(6) == 0) {
          byte[] u = "é€".getBytes(StandardCharsets.UTF_8);
          System.arraycopy(u, 0, b, 0, Math.min(u.length, len));
          return new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        }
      } else {
        r.nextBytes(b);
      }
      return b;
    }
  }
}
