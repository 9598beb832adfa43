package dev.lancemerge.format;

import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Lance's logical type strings ({@code int32}, {@code fixed_size_list:float:128},
 * {@code timestamp:us:UTC}, ...) to Arrow types and back.
 */
public final class LogicalTypes {
  private LogicalTypes() {}

  /** True when the logical type names a Lance nested type whose children are separate schema fields. */
  public static boolean hasChildFields(String logicalType) {
    return logicalType.equals("struct")
        || logicalType.equals("list")
        || logicalType.equals("large_list")
        || logicalType.equals("list.struct")
        || logicalType.equals("large_list.struct");
  }

  /**
   * The Arrow type of a logical type. Fixed-size lists get their implicit child {@code item};
   * lists and structs get the children passed in.
   */
  public static Field toArrowField(
      String name, String logicalType, boolean nullable, java.util.Map<String, String> metadata, List<Field> children) {
    if (logicalType.startsWith("fixed_size_list:")) {
      int last = logicalType.lastIndexOf(':');
      if (last <= "fixed_size_list:".length()) {
        throw unknown(logicalType);
      }
      String inner = logicalType.substring("fixed_size_list:".length(), last);
      int size = parseSize(logicalType.substring(last + 1), logicalType);
      Field item = toArrowField("item", inner, true, null, List.of());
      return new Field(
          name, new FieldType(nullable, new ArrowType.FixedSizeList(size), null, metadata), List.of(item));
    }
    ArrowType type;
    switch (logicalType) {
      case "list":
      case "list.struct":
        type = ArrowType.List.INSTANCE;
        break;
      case "large_list":
      case "large_list.struct":
        type = ArrowType.LargeList.INSTANCE;
        break;
      case "struct":
        type = ArrowType.Struct.INSTANCE;
        break;
      default:
        type = primitive(logicalType);
    }
    return new Field(name, new FieldType(nullable, type, null, metadata), children);
  }

  /** The Arrow type of a non-nested logical type. */
  public static ArrowType primitive(String t) {
    switch (t) {
      case "null": return ArrowType.Null.INSTANCE;
      case "bool": return ArrowType.Bool.INSTANCE;
      case "int8": return new ArrowType.Int(8, true);
      case "uint8": return new ArrowType.Int(8, false);
      case "int16": return new ArrowType.Int(16, true);
      case "uint16": return new ArrowType.Int(16, false);
      case "int32": return new ArrowType.Int(32, true);
      case "uint32": return new ArrowType.Int(32, false);
      case "int64": return new ArrowType.Int(64, true);
      case "uint64": return new ArrowType.Int(64, false);
      case "halffloat": return new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
      case "float": return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case "double": return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "string": return ArrowType.Utf8.INSTANCE;
      case "binary": return ArrowType.Binary.INSTANCE;
      case "large_string": return ArrowType.LargeUtf8.INSTANCE;
      case "large_binary": return ArrowType.LargeBinary.INSTANCE;
      case "date32:day": return new ArrowType.Date(DateUnit.DAY);
      case "date64:ms": return new ArrowType.Date(DateUnit.MILLISECOND);
      default:
        break;
    }
    String[] p = t.split(":", -1);
    switch (p[0]) {
      case "time32":
      case "time64":
        return new ArrowType.Time(unit(p, t), p[0].equals("time32") ? 32 : 64);
      case "duration":
        return new ArrowType.Duration(unit(p, t));
      case "timestamp": {
        if (p.length < 2) {
          throw unknown(t);
        }
        String tz = p.length < 3 || p[2].equals("-") ? null : t.substring(t.indexOf(':', t.indexOf(':') + 1) + 1);
        return new ArrowType.Timestamp(unit(p, t), tz);
      }
      case "decimal":
        if (p.length == 4) {
          return new ArrowType.Decimal(parseSize(p[2], t), Integer.parseInt(p[3]), parseSize(p[1], t));
        }
        throw unknown(t);
      case "fixed_size_binary":
        if (p.length == 2) {
          return new ArrowType.FixedSizeBinary(parseSize(p[1], t));
        }
        throw unknown(t);
      default:
        throw unknown(t);
    }
  }

  /** The logical type string Lance writes for an Arrow field (children are described by their own fields). */
  public static String toLogicalType(Field field) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.FixedSizeList fsl) {
      return "fixed_size_list:" + toLogicalType(field.getChildren().get(0)) + ":" + fsl.getListSize();
    }
    if (type instanceof ArrowType.List) {
      return isStruct(field.getChildren()) ? "list.struct" : "list";
    }
    if (type instanceof ArrowType.LargeList) {
      return isStruct(field.getChildren()) ? "large_list.struct" : "large_list";
    }
    if (type instanceof ArrowType.Struct) {
      return "struct";
    }
    if (type instanceof ArrowType.Int i) {
      return (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      switch (f.getPrecision()) {
        case HALF: return "halffloat";
        case SINGLE: return "float";
        default: return "double";
      }
    }
    if (type instanceof ArrowType.Bool) return "bool";
    if (type instanceof ArrowType.Null) return "null";
    if (type instanceof ArrowType.Utf8) return "string";
    if (type instanceof ArrowType.Binary) return "binary";
    if (type instanceof ArrowType.LargeUtf8) return "large_string";
    if (type instanceof ArrowType.LargeBinary) return "large_binary";
    if (type instanceof ArrowType.Date d) return d.getUnit() == DateUnit.DAY ? "date32:day" : "date64:ms";
    if (type instanceof ArrowType.Time tm) return "time" + tm.getBitWidth() + ":" + unitName(tm.getUnit());
    if (type instanceof ArrowType.Duration du) return "duration:" + unitName(du.getUnit());
    if (type instanceof ArrowType.Timestamp ts) {
      return "timestamp:" + unitName(ts.getUnit()) + ":" + (ts.getTimezone() == null ? "-" : ts.getTimezone());
    }
    if (type instanceof ArrowType.Decimal dec) {
      return "decimal:" + dec.getBitWidth() + ":" + dec.getPrecision() + ":" + dec.getScale();
    }
    if (type instanceof ArrowType.FixedSizeBinary fb) return "fixed_size_binary:" + fb.getByteWidth();
    throw new IllegalArgumentException("Arrow type " + type + " of field '" + field.getName() + "' has no Lance logical type here");
  }

  /** Bytes per value of a fixed-width primitive, or -1 for variable width, 0 for bool (bit-packed). */
  public static int byteWidth(ArrowType type) {
    if (type instanceof ArrowType.Int i) return i.getBitWidth() / 8;
    if (type instanceof ArrowType.FloatingPoint f) {
      switch (f.getPrecision()) {
        case HALF: return 2;
        case SINGLE: return 4;
        default: return 8;
      }
    }
    if (type instanceof ArrowType.Bool) return 0;
    if (type instanceof ArrowType.Date d) return d.getUnit() == DateUnit.DAY ? 4 : 8;
    if (type instanceof ArrowType.Time tm) return tm.getBitWidth() / 8;
    if (type instanceof ArrowType.Duration || type instanceof ArrowType.Timestamp) return 8;
    if (type instanceof ArrowType.Decimal dec) return dec.getBitWidth() / 8;
    if (type instanceof ArrowType.FixedSizeBinary fb) return fb.getByteWidth();
    return -1;
  }

  /** True for Utf8/Binary and their large forms. */
  public static boolean isVariableWidth(ArrowType type) {
    return type instanceof ArrowType.Utf8 || type instanceof ArrowType.Binary
        || type instanceof ArrowType.LargeUtf8 || type instanceof ArrowType.LargeBinary;
  }

  private static boolean isStruct(List<Field> children) {
    return children.size() == 1 && children.get(0).getType() instanceof ArrowType.Struct;
  }

  private static TimeUnit unit(String[] p, String t) {
    if (p.length < 2) {
      throw unknown(t);
    }
    switch (p[1]) {
      case "s": return TimeUnit.SECOND;
      case "ms": return TimeUnit.MILLISECOND;
      case "us": return TimeUnit.MICROSECOND;
      case "ns": return TimeUnit.NANOSECOND;
      default: throw unknown(t);
    }
  }

  private static String unitName(TimeUnit u) {
    switch (u) {
      case SECOND: return "s";
      case MILLISECOND: return "ms";
      case MICROSECOND: return "us";
      default: return "ns";
    }
  }

  private static int parseSize(String s, String t) {
    try {
      int n = Integer.parseInt(s);
      if (n <= 0) {
        throw unknown(t);
      }
      return n;
    } catch (NumberFormatException e) {
      throw unknown(t);
    }
  }

  private static IllegalArgumentException unknown(String t) {
    return new IllegalArgumentException("unsupported Lance logical type '" + t + "'");
  }
}
