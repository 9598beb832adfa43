package dev.lancemerge.format;

import java.nio.file.Path;

/** Lance file format versions this project reads (and, for 2.0 and 2.1, writes). */
public enum FileVersion {
  V2_0(0, 3, "2.0"),
  V2_1(2, 1, "2.1"),
  V2_2(2, 2, "2.2");

  private final int major;
  private final int minor;
  private final String label;

  FileVersion(int major, int minor, String label) {
    this.major = major;
    this.minor = minor;
    this.label = label;
  }

  /** Major version as written in the footer. */
  public int major() {
    return major;
  }

  /** Minor version as written in the footer. */
  public int minor() {
    return minor;
  }

  /** The user-facing name, e.g. "2.1". */
  public String label() {
    return label;
  }

  /** True for 2.1 and later: structural (mini-block / full-zip) pages, 64-byte alignment. */
  public boolean isStructural() {
    return this != V2_0;
  }

  /** Maps a footer's (major, minor) to a version, refusing legacy v1 and unstable versions. */
  public static FileVersion fromFooter(int major, int minor, Path file) throws LanceFormatException {
    if ((major == 0 && minor == 3) || (major == 2 && minor == 0)) {
      return V2_0;
    }
    if (major == 2 && minor == 1) {
      return V2_1;
    }
    if (major == 2 && minor == 2) {
      return V2_2;
    }
    if (major == 0 && minor <= 2) {
      throw new LanceFormatException(
          file, "legacy Lance v1 file (version " + major + "." + minor + ") is not supported");
    }
    throw new LanceFormatException(
        file, "unknown Lance file version " + major + "." + minor + " (supported: 2.0, 2.1, 2.2)");
  }

  /** Parses "2.0", "0.3", "2.1", "2.2" or "stable" (= 2.1). */
  public static FileVersion parse(String text) {
    switch (text) {
      case "2.0":
      case "0.3":
        return V2_0;
      case "2.1":
      case "stable":
        return V2_1;
      case "2.2":
        return V2_2;
      default:
        throw new IllegalArgumentException("unknown Lance file version '" + text + "' (use 2.0, 2.1 or 2.2)");
    }
  }
}
