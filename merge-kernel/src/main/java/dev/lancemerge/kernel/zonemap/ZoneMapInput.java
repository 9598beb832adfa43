package dev.lancemerge.kernel.zonemap;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.kernel.MergeException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One ZoneMap input file: a segment's {@code zonemap.lance}, or a {@code part_<id>_zonemap.lance}
 * written by one worker of a distributed build.
 */
public final class ZoneMapInput implements Closeable {
  static final String SEGMENT_FILE = "zonemap.lance";
  private static final Pattern PART = Pattern.compile("part_(\\d+)_zonemap\\.lance");

  private final Path file;
  private final String label;
  private final Long partId;
  private final LanceFileReader reader;

  private ZoneMapInput(Path file, String label, Long partId, LanceFileReader reader) {
    this.file = file;
    this.label = label;
    this.partId = partId;
    this.reader = reader;
  }

  /**
   * The input files named by {@code paths}, each a segment directory (holding {@code zonemap.lance},
   * or part files), a {@code zonemap.lance} file or a part file. Part files are ordered by their
   * number, not their name, and two with the same number are refused.
   */
  public static List<ZoneMapInput> resolve(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        Path seg = p.resolve(SEGMENT_FILE);
        if (Files.isRegularFile(seg)) {
          if (!partFiles(p).isEmpty()) {
            throw new MergeException(String.valueOf(p.getFileName()),
                "holds both " + SEGMENT_FILE + " and part files; name the files to merge explicitly");
          }
          files.add(seg);
        } else {
          List<Path> parts = partFiles(p);
          if (parts.isEmpty()) {
            throw new MergeException(String.valueOf(p.getFileName()), "has no " + SEGMENT_FILE + " and no part_<id>_zonemap.lance files");
          }
          files.addAll(parts);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new MergeException(String.valueOf(p), "does not exist");
      }
    }
    List<ZoneMapInput> out = new ArrayList<>();
    try {
      java.util.Map<Long, Path> ids = new java.util.HashMap<>();
      for (Path f : files) {
        String name = String.valueOf(f.getFileName());
        Long id = null;
        String label;
        if (name.equals(SEGMENT_FILE)) {
          label = f.getParent() == null ? name : f.getParent().getFileName() + "/" + name;
        } else {
          Matcher m = PART.matcher(name);
          if (!m.matches()) {
            throw new MergeException(String.valueOf(f), "file name is neither " + SEGMENT_FILE + " nor part_<number>_zonemap.lance");
          }
          try {
            id = Long.parseLong(m.group(1));
          } catch (NumberFormatException e) {
            throw new MergeException(String.valueOf(f), "part number " + m.group(1) + " is out of range");
          }
          Path other = ids.putIfAbsent(id, f);
          if (other != null) {
            throw new MergeException(String.valueOf(f), "part id " + id + " is also the id of " + other);
          }
          label = f.toString();
        }
        LanceFileReader reader;
        try {
          reader = LanceFileReader.open(f);
        } catch (LanceFormatException e) {
          throw new MergeException(label, e.problem(), e);
        }
        out.add(new ZoneMapInput(f, label, id, reader));
      }
    } catch (IOException | RuntimeException e) {
      for (ZoneMapInput in : out) {
        in.close();
      }
      throw e;
    }
    out.sort(Comparator.comparing((ZoneMapInput i) -> i.partId == null ? -1L : i.partId));
    return out;
  }

  private static List<Path> partFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> String.valueOf(f.getFileName()).startsWith("part_") || String.valueOf(f.getFileName()).endsWith("_zonemap.lance")).toList();
    }
  }

  /** True when {@code path} looks like ZoneMap input (a zonemap file, part file, or a directory of them). */
  public static boolean looksLikeZoneMap(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return Files.isRegularFile(path.resolve(SEGMENT_FILE)) || !partFiles(path).isEmpty();
    }
    return String.valueOf(path.getFileName()).endsWith("zonemap.lance");
  }

  public Path file() {
    return file;
  }

  /** How errors name this input. */
  public String label() {
    return label;
  }

  public LanceFileReader reader() {
    return reader;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
