package dev.lancemerge.kernel.vector;

import dev.lancemerge.format.proto.index.Tensor;
import dev.lancemerge.kernel.MergeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered inputs of one merged segment, checked once before any byte is written: same index
 * type (IVF_FLAT, IVF_PQ or IVF_SQ; HNSW and RQ refused), distance, partition count, dimension,
 * quantizer structure, PQ codebook and IVF centroids (within 1e-5), SQ bit width, no segment given
 * twice. Also fixes what the output's quantizer is. That no fragment is covered twice needs every row
 * id, so the merge checks it as it copies them ({@link FragmentCoverage}), before publishing.
 */
public final class VectorMergePlan {
  /** Largest element-wise difference tolerated between codebooks or centroids of segments. */
  public static final double TOLERANCE = 1e-5;

  private final List<VectorSegment> segments;
  private final long[] lengths;
  private final Quantizer output;
  private final Tensor centroids;
  private final long rows;

  private VectorMergePlan(List<VectorSegment> segments, long[] lengths, Quantizer output, Tensor centroids, long rows) {
    this.segments = List.copyOf(segments);
    this.lengths = lengths;
    this.output = output;
    this.centroids = centroids;
    this.rows = rows;
  }

  /** Checks {@code segments} (in merge order) and plans their merge. */
  public static VectorMergePlan of(List<VectorSegment> segments) throws IOException {
    if (segments.isEmpty()) {
      throw new MergeException(null, "no segments to merge");
    }
    VectorSegment first = segments.get(0);
    Map<Path, String> seenDirs = new HashMap<>();
    Map<String, String> seenNames = new HashMap<>();
    for (VectorSegment s : segments) {
      Path real = s.dir().toRealPath();
      if (seenDirs.put(real, s.name()) != null || seenNames.put(s.name(), s.name()) != null) {
        throw s.fail("is given twice");
      }
      if (!s.type().isMergeable()) {
        throw s.fail(s.type() + " segments cannot be merged yet; commit them unmerged");
      }
    }
    for (VectorSegment s : segments) {
      checkSame(first, s);
    }
    Tensor centroids = null;
    VectorSegment centroidsOwner = null;
    for (VectorSegment s : segments) {
      if (s.centroids() == null) {
        continue;
      }
      if (centroids == null) {
        centroids = s.centroids();
        centroidsOwner = s;
      } else {
        checkCentroids(centroidsOwner, s);
      }
    }
    if (centroids == null) {
      throw new MergeException(first.name(), "no segment has IVF centroids (index.idx is missing or has none)");
    }
    if (centroids.getShapeCount() != 2 || centroids.getShape(0) != first.partitions()) {
      throw first.fail("centroids of shape " + centroids.getShapeList() + " do not match " + first.partitions() + " partitions");
    }
    long[] lengths = new long[first.partitions()];
    long rows = 0;
    for (VectorSegment s : segments) {
      for (int p = 0; p < lengths.length; p++) {
        lengths[p] += s.length(p);
      }
      rows += s.rows();
    }
    for (long len : lengths) {
      if (len > 0xFFFF_FFFFL) {
        throw new MergeException(null, "a merged partition would hold " + len + " rows, more than an IVF length can say");
      }
    }
    return new VectorMergePlan(segments, lengths, outputQuantizer(segments), centroids, rows);
  }

  /**
   * Whether {@code candidate} could be merged with {@code reference}: everything {@link #of} checks between two
   * segments except their fragments (which the caller checks from the manifest or the descriptor, without reading
   * row ids). For the streaming job, which vets each new segment once against a live one of its index.
   */
  public static void checkCompatible(VectorSegment reference, VectorSegment candidate) throws MergeException {
    if (!candidate.type().isMergeable()) {
      throw candidate.fail(candidate.type() + " segments cannot be merged yet; commit them unmerged");
    }
    checkSame(reference, candidate);
    if (reference.centroids() != null && candidate.centroids() != null) {
      checkCentroids(reference, candidate);
    }
  }

  private static void checkCentroids(VectorSegment owner, VectorSegment s) throws MergeException {
    String diff = Tensors.difference(owner.centroids(), s.centroids(), TOLERANCE);
    if (diff != null) {
      throw s.fail("IVF centroids differ from those of segment " + owner.name() + ": centroid " + diff
          + "; segments must share one IVF model");
    }
  }

  private static void checkSame(VectorSegment first, VectorSegment s) throws MergeException {
    String against = " (the first segment, " + first.name() + ", has ";
    if (s.type() != first.type()) {
      throw s.fail("index type is " + s.type() + against + first.type() + ")");
    }
    if (s.distance() != first.distance()) {
      throw s.fail("distance_type is " + s.distance().text() + against + first.distance().text() + ")");
    }
    if (s.partitions() != first.partitions()) {
      throw s.fail("has " + s.partitions() + " IVF partitions" + against + first.partitions() + ")");
    }
    Quantizer a = first.quantizer();
    Quantizer b = s.quantizer();
    if (a.dimension() != b.dimension()) {
      throw s.fail("dimension is " + b.dimension() + against + a.dimension() + ")");
    }
    if (a instanceof Quantizer.Flat fa && b instanceof Quantizer.Flat fb && fa.elementBytes() != fb.elementBytes()) {
      throw s.fail("flat vectors have " + fb.elementBytes() + "-byte elements" + against + fa.elementBytes() + ")");
    }
    if (a instanceof Quantizer.Pq pa && b instanceof Quantizer.Pq pb) {
      if (pa.numSubVectors() != pb.numSubVectors()) {
        throw s.fail("PQ num_sub_vectors is " + pb.numSubVectors() + against + pa.numSubVectors() + ")");
      }
      if (pa.nbits() != pb.nbits()) {
        throw s.fail("PQ nbits is " + pb.nbits() + against + pa.nbits() + ")");
      }
      String diff = Tensors.difference(pa.codebook(), pb.codebook(), TOLERANCE);
      if (diff != null) {
        throw s.fail("PQ codebook differs from that of the first segment, " + first.name() + ": " + diff
            + "; segments must share one codebook");
      }
    }
    if (a instanceof Quantizer.Sq sa && b instanceof Quantizer.Sq sb) {
      if (sb.numBits() != 8) {
        throw s.fail("SQ num_bits is " + sb.numBits() + "; only 8-bit SQ is supported");
      }
      if (sa.numBits() != sb.numBits()) {
        throw s.fail("SQ num_bits is " + sb.numBits() + against + sa.numBits() + ")");
      }
    }
  }

  /**
   * How much wider than the most populous segment's SQ range the covering range may be before the merge
   * switches to covering bounds: the segments' bounds are the min/max of similar data and differ little.
   */
  static final double SQ_RANGE_SLACK = 1.25;

  /**
   * FLAT: as is. PQ: the first segment's, stored transposed. SQ: the grid of the segment with the most rows, so
   * its codes are copied exactly and the others are re-encoded onto a grid of nearly their own step (the few
   * values beyond it saturate, as Lance's own quantizer saturates); if the segments' ranges differ by more than
   * {@link #SQ_RANGE_SLACK}, bounds covering them all instead. Measured against the same segments searched
   * unmerged, the first keeps recall@10 within 0.01 where covering bounds lose up to 0.018 (dense partitions
   * re-encoded onto a coarser grid move about a quarter of the values to a neighbouring cell).
   */
  private static Quantizer outputQuantizer(List<VectorSegment> segments) {
    Quantizer q = segments.get(0).quantizer();
    if (q instanceof Quantizer.Pq pq) {
      return new Quantizer.Pq(pq.dimension(), pq.numSubVectors(), pq.nbits(), true, pq.codebook());
    }
    if (q instanceof Quantizer.Sq) {
      List<Quantizer.Sq> grids = new java.util.ArrayList<>();
      long[] rows = new long[segments.size()];
      for (int i = 0; i < segments.size(); i++) {
        grids.add((Quantizer.Sq) segments.get(i).quantizer());
        rows[i] = segments.get(i).rows();
      }
      return sqGrid(grids, rows);
    }
    return q;
  }

  /** The SQ grid of the merged segment, given each input's grid and row count (see {@link #outputQuantizer}). */
  static Quantizer.Sq sqGrid(List<Quantizer.Sq> grids, long[] rows) {
    double start = Double.POSITIVE_INFINITY;
    double end = Double.NEGATIVE_INFINITY;
    int most = 0;
    for (int i = 0; i < grids.size(); i++) {
      start = Math.min(start, grids.get(i).start());
      end = Math.max(end, grids.get(i).end());
      if (rows[i] > rows[most]) {
        most = i;
      }
    }
    Quantizer.Sq grid = grids.get(most);
    if (end - start <= SQ_RANGE_SLACK * (grid.end() - grid.start())) {
      return grid;
    }
    return new Quantizer.Sq(grid.dimension(), grid.numBits(), start, end);
  }

  public List<VectorSegment> segments() {
    return segments;
  }

  public VectorSegment first() {
    return segments.get(0);
  }

  /** Rows of partition {@code p} in the merged segment. */
  public long length(int p) {
    return lengths[p];
  }

  public int partitions() {
    return lengths.length;
  }

  public Quantizer output() {
    return output;
  }

  public Tensor centroids() {
    return centroids;
  }

  public long rows() {
    return rows;
  }
}
