package dev.lancemerge.format.robust;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Changes one field somewhere inside a protobuf message, found by reflection: numbers become edge values
 * (0, 1, -1, off by one, doubled, 2^31, 2^32, max), booleans flip, enums take another value, strings and bytes
 * become garbage or are cut, repeated fields lose, repeat or change an element, sub-messages are cleared or
 * changed inside. Describes what it did, so a failing case can be read and reproduced.
 */
final class ProtoMutator {
  private final Random rnd;
  private final StringBuilder what = new StringBuilder();

  ProtoMutator(Random rnd) {
    this.rnd = rnd;
  }

  /** What the last {@link #mutate} changed. */
  String description() {
    return what.toString();
  }

  <T extends Message> Message mutate(T m) {
    what.setLength(0);
    Message.Builder b = m.toBuilder();
    mutate(b, m.getDescriptorForType().getName(), 0);
    return b.build();
  }

  private void mutate(Message.Builder b, String path, int depth) {
    List<FieldDescriptor> set = new ArrayList<>(b.getAllFields().keySet());
    List<FieldDescriptor> all = b.getDescriptorForType().getFields();
    if (all.isEmpty()) {
      what.append(path).append(": no fields to change");
      return;
    }
    if (set.isEmpty() || rnd.nextInt(10) == 0) {
      FieldDescriptor fd = all.get(rnd.nextInt(all.size()));
      if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        Object v = edge(fd, null);
        if (fd.isRepeated()) {
          b.addRepeatedField(fd, v);
        } else {
          b.setField(fd, v);
        }
        what.append(path).append('.').append(fd.getName()).append(" (unset) := ").append(show(v));
        return;
      }
      if (set.isEmpty()) {
        what.append(path).append(": nothing to change");
        return;
      }
    }
    FieldDescriptor fd = set.get(rnd.nextInt(set.size()));
    String at = path + "." + fd.getName();
    if (fd.isRepeated()) {
      int n = b.getRepeatedFieldCount(fd);
      int i = rnd.nextInt(n);
      int op = rnd.nextInt(10);
      if (op == 0) {
        List<Object> items = new ArrayList<>((List<?>) b.getField(fd));
        items.remove(i);
        b.clearField(fd);
        items.forEach(x -> b.addRepeatedField(fd, x));
        what.append(at).append('[').append(i).append("] removed");
      } else if (op == 1) {
        b.addRepeatedField(fd, b.getRepeatedField(fd, i));
        what.append(at).append('[').append(i).append("] repeated at the end");
      } else if (op == 2 && !fd.isMapField()) {
        b.clearField(fd);
        what.append(at).append(" cleared");
      } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (depth > 12) {
          what.append(at).append(": too deep");
          return;
        }
        Message.Builder eb = ((Message) b.getRepeatedField(fd, i)).toBuilder();
        mutate(eb, at + "[" + i + "]", depth + 1);
        b.setRepeatedField(fd, i, eb.build());
      } else {
        Object v = edge(fd, b.getRepeatedField(fd, i));
        b.setRepeatedField(fd, i, v);
        what.append(at).append('[').append(i).append("] := ").append(show(v));
      }
      return;
    }
    if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (rnd.nextInt(5) == 0 || depth > 12) {
        b.clearField(fd);
        what.append(at).append(" cleared");
      } else {
        Message.Builder sb = ((Message) b.getField(fd)).toBuilder();
        mutate(sb, at, depth + 1);
        b.setField(fd, sb.build());
      }
      return;
    }
    Object v = edge(fd, b.getField(fd));
    b.setField(fd, v);
    what.append(at).append(" := ").append(show(v));
  }

  private Object edge(FieldDescriptor fd, Object old) {
    switch (fd.getJavaType()) {
      case INT:
        return (int) number(old == null ? 0 : ((Integer) old).longValue());
      case LONG:
        return number(old == null ? 0 : (Long) old);
      case BOOLEAN:
        return old == null || !(Boolean) old;
      case FLOAT:
        return (float) number(old == null ? 0 : ((Float) old).longValue());
      case DOUBLE:
        return (double) number(old == null ? 0 : ((Double) old).longValue());
      case ENUM: {
        List<EnumValueDescriptor> values = fd.getEnumType().getValues();
        return values.get(rnd.nextInt(values.size()));
      }
      case STRING:
        return string(old == null ? "" : (String) old);
      case BYTE_STRING:
        return bytes(old == null ? ByteString.EMPTY : (ByteString) old);
      default:
        throw new IllegalStateException(fd.toString());
    }
  }

  private long number(long v) {
    switch (rnd.nextInt(14)) {
      case 0: return 0;
      case 1: return 1;
      case 2: return -1;
      case 3: return v + 1;
      case 4: return v - 1;
      case 5: return v * 2;
      case 6: return v / 2;
      case 7: return 1L << 31;
      case 8: return 1L << 32;
      case 9: return Long.MAX_VALUE;
      case 10: return Integer.MAX_VALUE;
      case 11: return v + 64;
      case 12: return rnd.nextInt(100);
      default: return v ^ (1L << rnd.nextInt(64));
    }
  }

  private String string(String old) {
    switch (rnd.nextInt(8)) {
      case 0: return "";
      case 1: return old.isEmpty() ? "x" : old.substring(0, rnd.nextInt(old.length()));
      case 2: return old + ":" + rnd.nextInt(1000);
      case 3: return old.replace("128", "129").replace("16", "17").replace("4", "5");
      case 4: return pick("int8", "uint64", "float", "double", "bool", "string", "large_binary", "list", "struct",
          "fixed_size_list:float:1", "fixed_size_list:uint8:0", "fixed_size_list:float:-3", "fixed_size_list:int32:2147483647",
          "timestamp:us:UTC", "date32:day", "halffloat", "null", "list.struct", "large_list");
      case 5: return old.toUpperCase();
      case 6: return new String(randomBytes(1 + rnd.nextInt(12)), java.nio.charset.StandardCharsets.ISO_8859_1);
      default: return old + old;
    }
  }

  private ByteString bytes(ByteString old) {
    switch (rnd.nextInt(6)) {
      case 0: return ByteString.EMPTY;
      case 1: return old.isEmpty() ? ByteString.copyFrom(randomBytes(8)) : old.substring(0, rnd.nextInt(old.size()));
      case 2: return ByteString.copyFrom(randomBytes(1 + rnd.nextInt(64)));
      case 3: {
        byte[] b = old.toByteArray();
        if (b.length > 0) {
          int i = rnd.nextInt(b.length);
          b[i] ^= (byte) (1 << rnd.nextInt(8));
        }
        return ByteString.copyFrom(b);
      }
      case 4: return old.concat(old);
      default: {
        byte[] b = old.toByteArray();
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) 0xFF;
        }
        return ByteString.copyFrom(b);
      }
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private String pick(String... options) {
    return options[rnd.nextInt(options.length)];
  }

  private static String show(Object v) {
    if (v instanceof ByteString bs) {
      return bs.size() + " bytes";
    }
    if (v instanceof EnumValueDescriptor e) {
      return e.getName();
    }
    if (v instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    return String.valueOf(v);
  }
}
