package dev.lancemerge.operators.staging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The staging directory where distributed index builds announce uncommitted segments, one JSON descriptor per
 * segment, renamed into place complete (see {@code docs/staged-segments.md}).
 *
 * <ul>
 *   <li>{@link #scan} looks at the directory's own entries (not sub-directories) named {@code *.json} that do not
 *       start with a dot (temporary names such as {@code .x.json} or {@code x.json.tmp} are ignored), takes the
 *       first {@code maxPerScan} of them by file name, validates each, quarantines the invalid ones and returns
 *       the valid ones ordered by {@code createdAt}, then file name. It keeps no state: a descriptor stays where
 *       it is until {@link #markDone} or {@link #quarantine}, so callers pass the names they already hold.
 *   <li>{@link #quarantine} moves a descriptor to {@code quarantine/} next to a {@code <name>.reason.txt}.
 *   <li>{@link #markDone} moves a committed segment's descriptor to {@code done/} (an audit trail, pruned with
 *       {@link #pruneDone}).
 * </ul>
 *
 * Only descriptor files are ever moved or deleted here; segment data under {@code _indices/} is never touched.
 */
public final class StagingArea {
  public static final String QUARANTINE_DIR = "quarantine";
  public static final String DONE_DIR = "done";
  public static final String REASON_SUFFIX = ".reason.txt";
  public static final String DESCRIPTOR_SUFFIX = ".json";
  public static final int DEFAULT_MAX_PER_SCAN = 1000;

  /** A descriptor set aside: its file name, the reason (naming the file) and where it went. */
  public record Quarantined(String fileName, String reason, Path movedTo) {}

  /**
   * One scan's outcome.
   *
   * @param segments valid descriptors, by {@code createdAt} then file name
   * @param quarantined descriptors quarantined by this scan, in file name order
   * @param more true when candidates were left for a later scan because of {@code maxPerScan}
   */
  public record ScanResult(List<StagedSegment> segments, List<Quarantined> quarantined, boolean more) {
    public ScanResult {
      segments = List.copyOf(segments);
      quarantined = List.copyOf(quarantined);
    }
  }

  private static final Comparator<StagedSegment> ORDER = Comparator
      .comparingLong((StagedSegment s) -> s.descriptor().createdAt())
      .thenComparing(StagedSegment::fileName);

  private final Path stagingDir;
  private final DescriptorValidator validator;
  private final int maxPerScan;
  private final Clock clock;

  /** The staging area of {@code dataset} with the default limits (for the parts of the job that mark and set aside). */
  public static StagingArea of(Path stagingDir, Path dataset) {
    return new StagingArea(stagingDir, new DescriptorValidator(dataset, StagingLimits.defaults()), DEFAULT_MAX_PER_SCAN);
  }

  public StagingArea(Path stagingDir, DescriptorValidator validator, int maxPerScan) {
    this(stagingDir, validator, maxPerScan, Clock.systemUTC());
  }

  public StagingArea(Path stagingDir, DescriptorValidator validator, int maxPerScan, Clock clock) {
    if (maxPerScan < 1) {
      throw new IllegalArgumentException("maxPerScan must be at least 1");
    }
    this.stagingDir = stagingDir.toAbsolutePath().normalize();
    this.validator = Objects.requireNonNull(validator, "validator");
    this.maxPerScan = maxPerScan;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Path stagingDir() {
    return stagingDir;
  }

  /** True for names {@link #scan} considers: {@code *.json}, not starting with a dot. */
  public static boolean isDescriptorName(String name) {
    return name.endsWith(DESCRIPTOR_SUFFIX) && name.length() > DESCRIPTOR_SUFFIX.length() && !name.startsWith(".");
  }

  /** {@link #scan(Collection)} with nothing to skip. */
  public ScanResult scan() throws IOException {
    return scan(List.of());
  }

  /**
   * Scans once. {@code skip} holds descriptor file names the caller already has in flight (neither validated
   * nor counted again). Memory and work are bounded by {@code maxPerScan}, whatever the directory holds.
   */
  public ScanResult scan(Collection<String> skip) throws IOException {
    TreeSet<String> batch = new TreeSet<>();
    boolean more = false;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(stagingDir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!isDescriptorName(name) || skip.contains(name) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        batch.add(name);
        if (batch.size() > maxPerScan) {
          batch.pollLast();
          more = true;
        }
      }
    }
    List<StagedSegment> valid = new ArrayList<>();
    List<Quarantined> quarantined = new ArrayList<>();
    for (String name : batch) {
      try {
        valid.add(validator.validate(stagingDir.resolve(name)));
      } catch (InvalidDescriptorException e) {
        quarantine(stagingDir.resolve(name), e.getMessage()).ifPresent(quarantined::add);
      }
    }
    valid.sort(ORDER);
    // One segment, one descriptor: a later announcement of a uuid already announced is set aside.
    Map<UUID, String> first = new HashMap<>();
    List<StagedSegment> out = new ArrayList<>(valid.size());
    for (StagedSegment s : valid) {
      String earlier = first.putIfAbsent(s.descriptor().segmentUuid(), s.fileName());
      if (earlier == null) {
        out.add(s);
      } else {
        quarantine(s, "announces segment " + s.descriptor().segmentUuid() + ", already announced by " + earlier)
            .ifPresent(quarantined::add);
      }
    }
    quarantined.sort(Comparator.comparing(Quarantined::fileName));
    return new ScanResult(out, quarantined, more);
  }

  /** Quarantines a validated descriptor the job later found unusable (e.g. the merge kernel refused it). */
  public Optional<Quarantined> quarantine(StagedSegment segment, String reason) throws IOException {
    return setAside(segment.descriptorFile(), reason);
  }

  /**
   * Quarantines the descriptor at {@code descriptorFile} (as a split or committable records it) with a reason that
   * starts with the descriptor's name, like every reason the scan writes.
   */
  public Optional<Quarantined> setAside(Path descriptorFile, String reason) throws IOException {
    return quarantine(descriptorFile, descriptorFile.getFileName() + ": " + reason);
  }

  /**
   * Moves {@code descriptorFile} to {@code quarantine/} (created if needed; a name already there gets a numeric
   * suffix) after writing {@code <name>.reason.txt} there: the reason on one line, then
   * {@code quarantined-at: <ISO-8601 instant>}. Empty if the descriptor was gone already.
   */
  public Optional<Quarantined> quarantine(Path descriptorFile, String reason) throws IOException {
    String name = descriptorFile.getFileName().toString();
    Path dir = Files.createDirectories(stagingDir.resolve(QUARANTINE_DIR));
    String line = Untrusted.oneLine(reason);
    String target = name;
    for (int i = 1; Files.exists(dir.resolve(target), LinkOption.NOFOLLOW_LINKS) && i <= 1000; i++) {
      target = name + "." + i;
    }
    Path reasonFile = dir.resolve(target + REASON_SUFFIX);
    Path tmp = dir.resolve("." + target + REASON_SUFFIX + ".tmp");
    Files.writeString(tmp, line + "\nquarantined-at: " + Instant.now(clock) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, reasonFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path moved = dir.resolve(target);
    try {
      Files.move(descriptorFile, moved, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      Files.deleteIfExists(reasonFile);
      return Optional.empty();
    }
    return Optional.of(new Quarantined(name, line, moved));
  }

  /**
   * After the job committed {@code segment}: moves its descriptor to {@code done/} (replacing a file of the same
   * name) and sets its modification time to now, for {@link #pruneDone}. Idempotent: if the descriptor is
   * already in {@code done/}, nothing happens. Returns where it lies now.
   */
  public Path markDone(StagedSegment segment) throws IOException {
    return markDone(segment.descriptorFile());
  }

  /** {@link #markDone(StagedSegment)} by the descriptor's path (as a split or committable records it). */
  public Path markDone(Path descriptorFile) throws IOException {
    Path dir = Files.createDirectories(stagingDir.resolve(DONE_DIR));
    Path target = dir.resolve(descriptorFile.getFileName().toString());
    try {
      Files.move(descriptorFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        return target;
      }
      throw e;
    }
    Files.setLastModifiedTime(target, FileTime.from(Instant.now(clock)));
    return target;
  }

  /** Deletes up to {@code max} descriptors in {@code done/} last marked done before {@code cutoff}; returns how many. */
  public int pruneDone(Instant cutoff, int max) throws IOException {
    Path dir = stagingDir.resolve(DONE_DIR);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (deleted >= max) {
          break;
        }
        if (isDescriptorName(p.getFileName().toString())
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(p);
          deleted++;
        }
      }
    }
    return deleted;
  }

  /**
   * Publishes {@code descriptor} as a writer should: written to a dot-named temporary file, then renamed to
   * {@link #descriptorName} in one atomic step. For Java writers and tests.
   */
  public static Path announce(Path stagingDir, StagedSegmentDescriptor descriptor) throws IOException {
    String name = descriptorName(descriptor);
    Path tmp = stagingDir.resolve("." + name + ".tmp");
    Files.writeString(tmp, descriptor.toJson(), StandardCharsets.UTF_8);
    Path target = stagingDir.resolve(name);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(tmp);
      throw new FileAlreadyExistsException(target.toString());
    }
    return Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The recommended descriptor name, {@code <createdAt, 13 digits>-<segmentUuid>.json}: name order is time order. */
  public static String descriptorName(StagedSegmentDescriptor d) {
    return String.format("%013d-%s%s", d.createdAt(), d.segmentUuid(), DESCRIPTOR_SUFFIX);
  }
}
