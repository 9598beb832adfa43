package dev.lancemerge.operators.staging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks one staged segment descriptor against a dataset, strictly (descriptors are untrusted). In this
 * order: the descriptor file's size (before reading it), its JSON and fields ({@link DescriptorParser}), the index
 * type being mergeable, then the file system: the segment directory {@code <dataset>/_indices/<uuid>/} and every
 * file it must or is said to hold must exist and resolve, after following links, inside the dataset's real
 * {@code _indices/} directory (the segment directory must be that directory's own child {@code <uuid>}, the files
 * the segment directory's own), be regular files within the size limit and, when listed, of the listed size.
 * Each failure is an {@link InvalidDescriptorException} whose message names the descriptor file and the rule.
 */
public final class DescriptorValidator {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final Path datasetDir;
  private final StagingLimits limits;
  private final DescriptorParser parser;

  public DescriptorValidator(Path datasetDir, StagingLimits limits) {
    this.datasetDir = datasetDir.toAbsolutePath().normalize();
    this.limits = limits;
    this.parser = new DescriptorParser(limits);
  }

  public Path datasetDir() {
    return datasetDir;
  }

  public StagingLimits limits() {
    return limits;
  }

  /** Validates the descriptor file {@code descriptorFile}. */
  public StagedSegment validate(Path descriptorFile) throws InvalidDescriptorException {
    String name = String.valueOf(descriptorFile.getFileName());
    byte[] json = readBounded(name, descriptorFile);
    StagedSegmentDescriptor d = parser.parse(name, json);
    if (!d.indexType().isMergeable()) {
      throw new InvalidDescriptorException(name, "indexType " + d.indexType()
          + " is not mergeable yet (mergeable: IVF_FLAT, IVF_PQ, IVF_SQ, ZONEMAP)");
    }
    Path segmentDir = checkSegment(name, d);
    return new StagedSegment(descriptorFile, d, segmentDir);
  }

  /** The descriptor's bytes: a regular file (not a link), non-empty, at most the limit; sized before reading. */
  private byte[] readBounded(String name, Path file) throws InvalidDescriptorException {
    int max = limits.maxDescriptorBytes();
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
      if (a.isSymbolicLink()) {
        throw new InvalidDescriptorException(name, "is a symbolic link; descriptors must be regular files");
      }
      if (!a.isRegularFile()) {
        throw new InvalidDescriptorException(name, "is not a regular file");
      }
      if (a.size() > max) {
        throw new InvalidDescriptorException(name,
            "is " + a.size() + " bytes, more than the limit of " + max + " bytes for a descriptor; not read");
      }
      if (a.size() == 0) {
        throw new InvalidDescriptorException(name, "is empty, not a JSON object");
      }
      try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
        ByteBuffer buf = ByteBuffer.allocate((int) a.size() + 1);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
          // read to the end or one byte past the size seen
        }
        if (buf.position() > a.size()) {
          throw new InvalidDescriptorException(name, "grew while being read; descriptors must be renamed into place complete");
        }
        return Arrays.copyOf(buf.array(), buf.position());
      }
    } catch (NoSuchFileException e) {
      throw new InvalidDescriptorException(name, "disappeared before it could be read");
    } catch (IOException e) {
      throw new InvalidDescriptorException(name, "cannot be read: " + e);
    }
  }

  /** Checks the segment directory and its files; returns the segment directory's real path. */
  private Path checkSegment(String name, StagedSegmentDescriptor d) throws InvalidDescriptorException {
    String rel = d.segmentDirectory();
    Path indices = datasetDir.resolve("_indices");
    Path realIndices;
    try {
      realIndices = indices.toRealPath();
    } catch (IOException e) {
      throw new InvalidDescriptorException(name, "the dataset has no _indices directory (" + indices + ")");
    }
    if (!Files.isDirectory(realIndices)) {
      throw new InvalidDescriptorException(name, "the dataset's _indices (" + realIndices + ") is not a directory");
    }
    Path seg = indices.resolve(d.segmentUuid().toString());
    if (!seg.normalize().getParent().equals(indices)) {
      throw new InvalidDescriptorException(name, rel + " is not inside the dataset's _indices/");
    }
    Path realSeg;
    try {
      realSeg = seg.toRealPath();
    } catch (NoSuchFileException e) {
      throw new InvalidDescriptorException(name, Files.isSymbolicLink(seg)
          ? "segment directory " + rel + "/ is a dangling symbolic link"
          : "segment directory " + rel + "/ does not exist");
    } catch (IOException e) {
      throw new InvalidDescriptorException(name, "segment directory " + rel + "/ cannot be resolved: " + e);
    }
    if (!realSeg.startsWith(realIndices)) {
      throw new InvalidDescriptorException(name, "segment directory " + rel
          + " is a symbolic link leading outside the dataset's _indices/ (to " + realSeg + ")");
    }
    if (!realSeg.equals(realIndices.resolve(d.segmentUuid().toString()))) {
      throw new InvalidDescriptorException(name, "segment directory " + rel
          + " is a symbolic link (to " + realSeg + "); it must be a real directory");
    }
    if (!Files.isDirectory(realSeg, NOFOLLOW)) {
      throw new InvalidDescriptorException(name, rel + " is not a directory");
    }
    Map<String, Long> listed = new HashMap<>();
    d.files().forEach(f -> listed.put(f.path(), f.sizeBytes()));
    Set<String> names = new LinkedHashSet<>(d.indexType().requiredFiles());
    d.files().forEach(f -> names.add(f.path()));
    for (String file : names) {
      checkFile(name, d, rel, realIndices, realSeg, file, listed.get(file));
    }
    return realSeg;
  }

  private void checkFile(String name, StagedSegmentDescriptor d, String rel, Path realIndices, Path realSeg,
      String file, Long listedSize) throws InvalidDescriptorException {
    String relFile = rel + "/" + file;
    Path f = realSeg.resolve(file);
    if (!realSeg.equals(f.normalize().getParent())) { // the parser allows plain names only; belt and braces
      throw new InvalidDescriptorException(name, relFile + " is not directly inside " + rel + "/");
    }
    Path real;
    try {
      real = f.toRealPath();
    } catch (NoSuchFileException e) {
      String why = Files.isSymbolicLink(f) ? " is a dangling symbolic link"
          : d.indexType().requiredFiles().contains(file)
              ? " does not exist, and " + d.indexType() + " segments need it"
              : " does not exist, but 'files' lists it";
      throw new InvalidDescriptorException(name, relFile + why);
    } catch (IOException e) {
      throw new InvalidDescriptorException(name, relFile + " cannot be resolved: " + e);
    }
    if (!real.startsWith(realIndices)) {
      throw new InvalidDescriptorException(name, relFile
          + " is a symbolic link leading outside the dataset's _indices/ (to " + real + ")");
    }
    if (!realSeg.equals(real.getParent())) {
      throw new InvalidDescriptorException(name, relFile
          + " is a symbolic link leading out of its segment directory (to " + real + ")");
    }
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(real, BasicFileAttributes.class, NOFOLLOW);
    } catch (IOException e) {
      throw new InvalidDescriptorException(name, relFile + " cannot be read: " + e);
    }
    if (!a.isRegularFile()) {
      throw new InvalidDescriptorException(name, relFile + " is not a regular file");
    }
    if (a.size() > limits.maxSegmentFileBytes()) {
      throw new InvalidDescriptorException(name, relFile + " is " + a.size()
          + " bytes, more than the limit of " + limits.maxSegmentFileBytes() + " bytes for a segment file");
    }
    if (listedSize != null && listedSize != a.size()) {
      throw new InvalidDescriptorException(name, relFile + " is " + a.size()
          + " bytes on disk but 'files' says " + listedSize + " (size mismatch)");
    }
  }
}
