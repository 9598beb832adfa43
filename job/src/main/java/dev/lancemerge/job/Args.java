package dev.lancemerge.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small parser for {@code --name value} options and positional arguments. */
final class Args {
  private final String command;
  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args(String command) {
    this.command = command;
  }

  /** Parses {@code args}; every option takes a value and must be one of {@code allowed}. */
  static Args parse(String command, List<String> args, Set<String> allowed) throws UsageException {
    Args a = new Args(command);
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      if (s.startsWith("--")) {
        String name = s;
        String value = null;
        int eq = s.indexOf('=');
        if (eq > 0) {
          name = s.substring(0, eq);
          value = s.substring(eq + 1);
        }
        if (!allowed.contains(name)) {
          throw a.usage("unknown option '" + name + "'");
        }
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw a.usage("option " + name + " needs a value");
          }
          value = args.get(++i);
        }
        if (a.options.put(name, value) != null) {
          throw a.usage("option " + name + " given twice");
        }
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  List<String> positional() {
    return positional;
  }

  /** Fails unless there are exactly {@code names.length} positional arguments. */
  void expectPositional(String... names) throws UsageException {
    if (positional.size() < names.length) {
      throw usage("missing argument " + names[positional.size()]);
    }
    if (positional.size() > names.length) {
      throw usage("unexpected argument '" + positional.get(names.length) + "'");
    }
  }

  String string(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  /** A whole number option in {@code [min, max]}. */
  long number(String name, long fallback, long min, long max) throws UsageException {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw usage("option " + name + " needs a whole number, not '" + v + "'");
    }
    if (n < min || n > max) {
      throw usage("option " + name + " must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }

  /**
   * A byte count option: a whole number with an optional binary unit {@code k}, {@code m}, {@code g} or {@code t}
   * (powers of 1024; an optional trailing {@code b} or {@code ib} is accepted, e.g. {@code 64m}, {@code 1GiB},
   * {@code 1048576}), in {@code [min, max]}.
   */
  long bytes(String name, long fallback, long min, long max) throws UsageException {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    Long n = parseBytes(v);
    if (n == null) {
      throw usage("option " + name + " needs a byte count such as 67108864, 64m or 1g, not '" + v + "'");
    }
    if (n < min || n > max) {
      throw usage("option " + name + " must be between " + min + " and " + max + " bytes, not " + v);
    }
    return n;
  }

  /** Parses {@code 123}, {@code 64k}, {@code 64m}, {@code 1g}, {@code 1t} (also {@code 64MB}, {@code 64MiB}); null if malformed or too large. */
  static Long parseBytes(String text) {
    String s = text.trim().replace("_", "").toLowerCase(java.util.Locale.ROOT);
    if (s.endsWith("ib")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    int shift = 0;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        case 't' -> shift = 40;
        default -> shift = -1;
      }
      if (shift >= 0) {
        s = s.substring(0, s.length() - 1);
      } else {
        shift = 0;
      }
    }
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 18) {
      return null;
    }
    long n = Long.parseLong(s);
    if (n > (Long.MAX_VALUE >> shift)) {
      return null;
    }
    return n << shift;
  }

  UsageException usage(String problem) {
    return new UsageException(command + ": " + problem + " (see '" + command + " --help')");
  }
}
