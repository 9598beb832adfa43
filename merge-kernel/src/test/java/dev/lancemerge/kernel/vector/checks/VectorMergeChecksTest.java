package dev.lancemerge.kernel.vector.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.proto.index.IVF;
import dev.lancemerge.format.proto.index.Tensor;
import dev.lancemerge.kernel.MergeException;
import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.MergeResult;
import dev.lancemerge.kernel.vector.VectorSegmentMerger;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.IvfModel;
import dev.lancemerge.oracle.RealLanceIndexes.PqModel;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.vector.IvfBuildParams;
import org.lance.index.vector.RQBuildParams;
import org.lance.index.vector.VectorIndexParams;

/**
 * Every input check of the vector merge (issue 3, "Checks, each with an error naming the segment and the field"),
 * each broken by real segments that real lance-core 7.0.0 built (or a real segment rewritten with our own Lance
 * file writer where Lance cannot build the broken input): the merge must throw a {@link MergeException} that names
 * the offending segment by its directory name and the field or problem, and must leave neither the output
 * directory nor a temporary {@code .<name>.tmp-*} sibling behind.
 *
 * <p>Fixtures are built once per class: dataset A (dim 16, 4 fragments, 2,000 rows) with IVF models of 8
 * partitions (l2 twice, trained separately; cosine) and 16 partitions, three PQ codebooks (8x8 bits, 4x8 bits,
 * 8x4 bits, plus a second 8x8 training), per-fragment segments of IVF_FLAT, IVF_PQ, IVF_SQ, IVF_HNSW_SQ,
 * IVF_HNSW_PQ and IVF_RQ, and dataset B (dim 32, 2 fragments). Setup takes 3 to 8 s, the tests about 2 s.
 */
class VectorMergeChecksTest {
  private static final long SEED = 30_003L;
  private static final int DIM = 16;
  private static final int NLIST = 8;
  private static final String COL = RealLanceIndexes.VEC;
  private static final String IDX = "vec_idx";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  private static BufferAllocator alloc;
  private static Path dsA;
  private static List<Integer> fids;

  private static IvfModel ivfL2;
  private static IvfModel ivfL2Other;
  private static PqModel pq8x8;
  private static PqModel pq8x8Other;

  // per-fragment segments of dataset A (index i covers fragment fids.get(i))
  private static List<Segment> flatL2;
  private static Segment flatCosine1;
  private static Segment flatL2Nlist16x1;
  private static Segment flatL2OtherCentroids1;
  private static Segment flatL2Again0;
  private static List<Segment> pq;
  private static Segment pqFourSub1;
  private static Segment pqFourBits1;
  private static Segment pqOtherCodebook1;
  private static List<Segment> sq;
  private static List<Segment> hnswSq;
  private static List<Segment> hnswPq;
  /** Real IVF_RQ segments, or null when lance-core cannot build them (then {@link #rqBuildError} says why). */
  private static List<Segment> rq;
  private static String rqBuildError;
  // dataset B, dim 32
  private static Segment flatDim32x1;

  private static int mutants;

  @BeforeAll
  static void buildFixtures() throws Exception {
    long t0 = System.nanoTime();
    alloc = new RootAllocator();
    dsA = tmp.resolve("dsA");
    try (Dataset ds = RealLanceIndexes.createDataset(dsA, alloc, DIM, SEED, null, 600, 500, 500, 400)) {
      fids = RealLanceIndexes.fragmentIds(ds);
      ivfL2 = RealLanceIndexes.trainIvf(ds, COL, NLIST, DistanceType.L2);
      ivfL2Other = RealLanceIndexes.trainIvf(ds, COL, NLIST, DistanceType.L2);
      IvfModel ivfCos = RealLanceIndexes.trainIvf(ds, COL, NLIST, DistanceType.Cosine);
      IvfModel ivf16 = RealLanceIndexes.trainIvf(ds, COL, 16, DistanceType.L2);
      pq8x8 = RealLanceIndexes.trainPq(ds, COL, 8, 8, DistanceType.L2);
      pq8x8Other = RealLanceIndexes.trainPq(ds, COL, 8, 8, DistanceType.L2);
      PqModel pq4x8 = RealLanceIndexes.trainPq(ds, COL, 4, 8, DistanceType.L2);
      PqModel pq8x4 = RealLanceIndexes.trainPq(ds, COL, 8, 4, DistanceType.L2);

      List<Integer> f01 = fids.subList(0, 2);
      flatL2 = build(ds, IndexType.IVF_FLAT, RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivfL2, null), fids);
      flatCosine1 = one(ds, IndexType.IVF_FLAT, RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivfCos, null), 1);
      flatL2Nlist16x1 = one(ds, IndexType.IVF_FLAT, RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf16, null), 1);
      flatL2OtherCentroids1 =
          one(ds, IndexType.IVF_FLAT, RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivfL2Other, null), 1);
      flatL2Again0 = one(ds, IndexType.IVF_FLAT, RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivfL2, null), 0);
      pq = build(ds, IndexType.IVF_PQ, RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivfL2, pq8x8), f01);
      pqFourSub1 = one(ds, IndexType.IVF_PQ, RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivfL2, pq4x8), 1);
      pqFourBits1 = one(ds, IndexType.IVF_PQ, RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivfL2, pq8x4), 1);
      pqOtherCodebook1 = one(ds, IndexType.IVF_PQ, RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivfL2, pq8x8Other), 1);
      sq = build(ds, IndexType.IVF_SQ, RealLanceIndexes.vectorParams(IndexType.IVF_SQ, ivfL2, null), f01);
      hnswSq = build(ds, IndexType.IVF_HNSW_SQ, RealLanceIndexes.vectorParams(IndexType.IVF_HNSW_SQ, ivfL2, null), f01);
      hnswPq = build(ds, IndexType.IVF_HNSW_PQ, RealLanceIndexes.vectorParams(IndexType.IVF_HNSW_PQ, ivfL2, pq8x8), f01);
      try {
        IvfBuildParams ivfp = new IvfBuildParams.Builder().setNumPartitions(NLIST).setMaxIters(20)
            .setCentroids(ivfL2.centroids()).build();
        IndexParams rqp = IndexParams.builder().setVectorIndexParams(VectorIndexParams.withIvfRqParams(
            DistanceType.L2, ivfp, new RQBuildParams.Builder().setNumBits((byte) 1).build())).build();
        rq = build(ds, IndexType.IVF_RQ, rqp, f01);
      } catch (RuntimeException e) {
        rq = null;
        rqBuildError = String.valueOf(e);
      }
    }
    Path dsB = tmp.resolve("dsB");
    try (Dataset ds = RealLanceIndexes.createDataset(dsB, alloc, 32, SEED, null, 300, 200)) {
      IvfModel ivf32 = RealLanceIndexes.trainIvf(ds, COL, NLIST, DistanceType.L2);
      List<Integer> fb = RealLanceIndexes.fragmentIds(ds);
      flatDim32x1 = RealLanceIndexes.buildSegment(ds, dsB, COL, IDX, IndexType.IVF_FLAT,
          RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf32, null), fb.get(1));
    }
    System.out.printf("VectorMergeChecksTest fixtures: %.1f s (RQ: %s)%n", (System.nanoTime() - t0) / 1e9,
        rq != null ? "built by lance-core" : rqBuildError);
  }

  @AfterAll
  static void closeAllocator() {
    try {
      alloc.close();
    } catch (RuntimeException ignored) {
      // Lance may keep Arrow buffers of datasets we closed; not what this test is about
    }
  }

  private static List<Segment> build(Dataset ds, IndexType type, IndexParams params, List<Integer> fragments) {
    return RealLanceIndexes.buildVectorSegments(ds, dsA, COL, IDX, type, params, fragments);
  }

  private static Segment one(Dataset ds, IndexType type, IndexParams params, int fragmentIndex) {
    return RealLanceIndexes.buildSegment(ds, dsA, COL, IDX, type, params, fids.get(fragmentIndex));
  }

  // ================================================================== the checks

  @Test
  void emptyInputList() throws Exception {
    MergeException e = refused(List.of());
    assertThat(e.segment()).isNull();
    assertThat(e.getMessage()).isEqualTo("no segments to merge");
  }

  @Test
  void missingDistanceType() throws Exception {
    Path bad = mutant(flatL2.get(1), "no-distance-type", aux -> aux.metadata.remove("distance_type"));
    MergeException e = refused(dirs(flatL2.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx", "distance_type");
  }

  @Test
  void unknownDistanceType() throws Exception {
    Path bad = mutant(flatL2.get(1), "manhattan", aux -> aux.metadata.put("distance_type", "manhattan"));
    MergeException e = refused(dirs(flatL2.get(0)), bad);
    assertNames(e, bad, "distance_type", "manhattan");
  }

  @Test
  void differentDistanceTypes() throws Exception {
    MergeException e = refused(dirs(flatL2.get(0), flatCosine1));
    assertNames(e, flatCosine1.dir(), "distance_type", "cosine", "l2");
    assertThat(e.getMessage()).contains(name(flatL2.get(0).dir())); // and says which segment it disagrees with
  }

  @Test
  void differentPartitionCounts() throws Exception {
    MergeException e = refused(dirs(flatL2.get(0), flatL2Nlist16x1));
    assertNames(e, flatL2Nlist16x1.dir(), "16", "partitions");
    assertThat(e.getMessage()).contains("8");
  }

  @Test
  void differentDimensions() throws Exception {
    MergeException e = refused(dirs(flatL2.get(0), flatDim32x1));
    assertNames(e, flatDim32x1.dir(), "dimension", "32", "16");
  }

  @Test
  void differentPqNumSubVectors() throws Exception {
    MergeException e = refused(dirs(pq.get(0), pqFourSub1));
    assertNames(e, pqFourSub1.dir(), "num_sub_vectors", "4", "8");
  }

  @Test
  void differentPqNbits() throws Exception {
    MergeException e = refused(dirs(pq.get(0), pqFourBits1));
    assertNames(e, pqFourBits1.dir(), "nbits", "4", "8");
  }

  @Test
  void separatelyTrainedPqCodebooks() throws Exception {
    assertThat(maxDifference(pq8x8.codebook(), pq8x8Other.codebook()))
        .as("two PQ trainings give different codebooks").isGreaterThan(1e-5);
    MergeException e = refused(dirs(pq.get(0), pqOtherCodebook1));
    assertNames(e, pqOtherCodebook1.dir(), "codebook");
  }

  @Test
  void pqCodebookPerturbedBeyondTolerance() throws Exception {
    Path bad = mutant(pq.get(1), "codebook-plus-1e-3", aux -> aux.perturbCodebook(1e-3f));
    MergeException e = refused(dirs(pq.get(0)), bad);
    assertNames(e, bad, "codebook", "1.0E-5");
  }

  @Test
  void pqCodebookPerturbedWithinToleranceIsAccepted() throws Exception {
    Path ok = mutant(pq.get(1), "codebook-plus-1e-6", aux -> aux.perturbCodebook(1e-6f));
    Path parent = Files.createTempDirectory(tmp, "out-");
    Path out = parent.resolve("merged");
    List<Path> in = List.of(pq.get(0).dir(), ok);
    MergeResult r = VectorSegmentMerger.merge(in, out, MergeOptions.defaults());
    assertThat(r.rows()).isEqualTo(600 + 500);
    assertThat(out.resolve("auxiliary.idx")).isRegularFile();
    assertThat(out.resolve("index.idx")).isRegularFile();
    assertThat(list(parent)).containsExactly(out);
  }

  @Test
  void ivfLengthsDoNotAddUpToRows() throws Exception {
    long[] rows = new long[1];
    Path bad = mutant(flatL2.get(1), "lengths-short", aux -> {
      IVF ivf = aux.ivf();
      rows[0] = aux.rows();
      int last = ivf.getLengthsCount() - 1;
      while (ivf.getLengths(last) == 0) {
        last--;
      }
      aux.setIvf(ivf.toBuilder().setLengths(last, ivf.getLengths(last) - 1).build());
    });
    MergeException e = refused(dirs(flatL2.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx", "lengths", String.valueOf(rows[0] - 1), String.valueOf(rows[0]));
  }

  @Test
  void ivfLengthsExceedRows() throws Exception {
    Path bad = mutant(flatL2.get(1), "lengths-long", aux -> {
      IVF ivf = aux.ivf();
      aux.setIvf(ivf.toBuilder().setLengths(0, ivf.getLengths(0) + 1).build());
    });
    MergeException e = refused(dirs(flatL2.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx", "lengths", "501", "500");
  }

  @Test
  void ivfOffsetOutsideTheFile() throws Exception {
    Path bad = mutant(flatL2.get(1), "offset-outside", aux -> {
      IVF ivf = aux.ivf();
      aux.setIvf(ivf.toBuilder().setOffsets(3, aux.rows() + 10).build());
    });
    MergeException e = refused(dirs(flatL2.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx", "partition 3", "outside");
  }

  @Test
  void differentCentroidsAreRefusedThoughLanceAcceptsThem() throws Exception {
    assertThat(maxDifference(ivfL2.centroids(), ivfL2Other.centroids()))
        .as("two IVF trainings give different centroids").isGreaterThan(1e-5);
    try (Dataset ds = RealLanceIndexes.openDataset(dsA, alloc)) {
      Segment lanceMerged = RealLanceIndexes.mergeWithLance(ds, dsA, List.of(flatL2.get(0), flatL2OtherCentroids1));
      assertThat(lanceMerged.dir().resolve("auxiliary.idx")).as("Lance's own merge accepts them silently").exists();
    }
    MergeException e = refused(dirs(flatL2.get(0), flatL2OtherCentroids1));
    assertNames(e, flatL2OtherCentroids1.dir(), "centroids");
  }

  @Test
  void differentIndexTypes() throws Exception {
    MergeException e = refused(dirs(flatL2.get(0), pq.get(1)));
    assertNames(e, pq.get(1).dir(), "index type", "IVF_PQ", "IVF_FLAT");
  }

  @Test
  void sqBitWidthOtherThanEight() throws Exception {
    Path bad = mutant(sq.get(1), "sq-4-bits", aux -> aux.setSqBits(4));
    MergeException e = refused(dirs(sq.get(0)), bad);
    assertNames(e, bad, "num_bits", "4");
  }

  @Test
  void sqBitWidthOtherThanEightInTheFirstSegment() throws Exception {
    Path bad = mutant(sq.get(0), "sq-4-bits-first", aux -> aux.setSqBits(4));
    MergeException e = refused(List.of(bad, sq.get(1).dir()));
    assertNames(e, bad, "num_bits", "4");
  }

  @Test
  void sameSegmentDirectoryTwice() throws Exception {
    MergeException e = refused(dirs(flatL2.get(0), flatL2.get(1), flatL2.get(0)));
    assertNames(e, flatL2.get(0).dir(), "twice");
  }

  @Test
  void copyOfASegmentUnderAnotherNameOverlaps() throws Exception {
    Path copy = tmp.resolve("mutants").resolve("copy-of-" + name(flatL2.get(0).dir()));
    RealLanceIndexes.copyTree(flatL2.get(0).dir(), copy);
    MergeException e = refused(List.of(flatL2.get(0).dir(), flatL2.get(1).dir(), copy));
    assertNames(e, copy, "fragment " + fids.get(0), name(flatL2.get(0).dir()));
  }

  @Test
  void twoSegmentsBuiltForTheSameFragmentOverlap() throws Exception {
    MergeException e = refused(dirs(flatL2.get(0), flatL2.get(1), flatL2Again0));
    assertNames(e, flatL2Again0.dir(), "fragment " + fids.get(0), name(flatL2.get(0).dir()));
  }

  @Test
  void hnswSqIsRefused() throws Exception {
    MergeException e = refused(dirs(hnswSq.get(0), hnswSq.get(1)));
    assertNames(e, hnswSq.get(0).dir(), "IVF_HNSW_SQ", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void hnswPqIsRefused() throws Exception {
    MergeException e = refused(dirs(hnswPq.get(0), hnswPq.get(1)));
    assertNames(e, hnswPq.get(0).dir(), "IVF_HNSW_PQ", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void singleHnswSegmentIsRefusedNotCopiedEmpty() throws Exception {
    MergeException e = refused(dirs(hnswSq.get(1)));
    assertNames(e, hnswSq.get(1).dir(), "IVF_HNSW_SQ", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void hnswAfterAMergeableSegmentIsRefused() throws Exception {
    // an HNSW segment behind a mergeable one must not be reported as a mere type mismatch nor merged
    MergeException e = refused(dirs(sq.get(0), hnswSq.get(1)));
    assertNames(e, hnswSq.get(1).dir(), "IVF_HNSW_SQ", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void hnswFlatIsRefused() throws Exception {
    // lance-core 7.0.0 cannot build IVF_HNSW_FLAT ("HNSW must be combined with either PQ or SQ"): a FLAT segment
    // whose index.idx says IVF_HNSW_FLAT and carries lance:hnsw stands in for one
    Path fake = copy(flatL2.get(1), "fake-hnsw-flat");
    rewrite(fake.resolve("index.idx"), idx -> {
      idx.metadata.put("lance:index", "{\"type\":\"IVF_HNSW_FLAT\",\"distance_type\":\"l2\"}");
      idx.metadata.put("lance:hnsw", "[]");
    }, Function.identity());
    MergeException e = refused(List.of(flatL2.get(0).dir(), fake));
    assertNames(e, fake, "IVF_HNSW_FLAT", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void rqIsRefused() throws Exception {
    // lance-core 7.0.0 builds IVF_RQ segments (withIvfRqParams, 1-bit RaBitQ): index.idx lance:index says IVF_RQ,
    // the aux file has _rowid, _rabit_codes, __add_factors, __scale_factors and no lance:rabit key
    assertThat(rq).as("lance-core 7.0.0 builds IVF_RQ segments (%s)", rqBuildError).isNotNull();
    MergeException e = refused(dirs(rq.get(0), rq.get(1)));
    assertNames(e, rq.get(0).dir(), "IVF_RQ", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void rqBehindAMergeableSegmentIsRefused() throws Exception {
    assertThat(rq).isNotNull();
    MergeException e = refused(dirs(flatL2.get(0), rq.get(1)));
    assertNames(e, rq.get(1).dir(), "IVF_RQ", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void rqMarkedOnlyInTheAuxFileIsRefused() throws Exception {
    // a FLAT segment rewritten: aux column flat renamed _rabit_codes plus a lance:rabit key, index.idx without
    // lance:index, so only the aux file says RQ
    Path fake = fakeRq(flatL2.get(1), "fake-rq-aux-only");
    MergeException e = refused(List.of(flatL2.get(0).dir(), fake));
    assertNames(e, fake, "IVF_RQ", "cannot be merged yet; commit them unmerged");
  }

  @Test
  void truncatedAuxFile() throws Exception {
    Path bad = copy(flatL2.get(1), "truncated-aux");
    Path aux = bad.resolve("auxiliary.idx");
    try (FileChannel ch = FileChannel.open(aux, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    MergeException e = refused(dirs(flatL2.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx");
  }

  @Test
  void auxFileCutInsideItsFooter() throws Exception {
    Path bad = copy(pq.get(1), "aux-minus-3-bytes");
    Path aux = bad.resolve("auxiliary.idx");
    try (FileChannel ch = FileChannel.open(aux, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    MergeException e = refused(dirs(pq.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx");
  }

  @Test
  void auxWithUndecodableVectorPagesFailsMidMergeAndLeavesNothing() throws Exception {
    // footer, schema, IVF and _rowid intact (so every check before writing passes); the page encodings of the
    // __pq_code column do not parse, which is found only when the merge reads the codes, after the temporary
    // output directory exists
    Path bad = copy(pq.get(1), "pq-pages-undecodable");
    corruptPageEncodings(bad.resolve("auxiliary.idx"), 1);
    MergeException e = refused(dirs(pq.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx");
  }

  @Test
  void flatAuxWithUndecodableVectorPagesFailsAndLeavesNothing() throws Exception {
    // the FLAT path may move vector bytes without decoding them: it must still notice pages it cannot read
    Path bad = copy(flatL2.get(1), "flat-pages-undecodable");
    corruptPageEncodings(bad.resolve("auxiliary.idx"), 1);
    MergeException e = refused(dirs(flatL2.get(0)), bad);
    assertNames(e, bad, "auxiliary.idx");
  }

  @Test
  void sameSegmentThroughASymlinkIsGivenTwice() throws Exception {
    Path link = tmp.resolve("mutants").resolve("link-to-" + name(flatL2.get(2).dir()));
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, flatL2.get(2).dir());
    MergeException e = refused(dirs(flatL2.get(2), flatL2.get(3)), link);
    assertNames(e, link, "twice");
  }

  // ================================================================== helpers: merging

  /** Runs a merge that must fail; checks that nothing is left next to the output; returns the exception. */
  private static MergeException refused(List<Path> first, Path... more) throws IOException {
    List<Path> in = new ArrayList<>(first);
    in.addAll(List.of(more));
    Path parent = Files.createTempDirectory(tmp, "out-");
    Path out = parent.resolve("merged");
    Exception caught = null;
    try {
      MergeResult r = VectorSegmentMerger.merge(in, out, MergeOptions.defaults());
      fail("merge of " + names(in) + " succeeded (" + r + ") but must be refused");
    } catch (Exception e) {
      caught = e;
    }
    System.out.println("refused " + names(in) + ": " + caught);
    if (!(caught instanceof MergeException)) {
      caught.printStackTrace(System.out); // where the unwrapped failure came from
    }
    assertThat(out).as("no output directory after a failed merge").doesNotExist();
    assertThat(list(parent)).as("no temporary sibling .merged.tmp-* after a failed merge").isEmpty();
    assertThat(caught).as("a failed merge throws MergeException naming the segment").isInstanceOf(MergeException.class);
    return (MergeException) caught;
  }

  /** The message starts with {@code segment <dir name>:} and mentions each of {@code words}. */
  private static void assertNames(MergeException e, Path segment, String... words) {
    String n = name(segment);
    assertThat(e.segment()).as("offending segment of: " + e.getMessage()).isEqualTo(n);
    assertThat(e.getMessage()).startsWith("segment " + n + ": ");
    for (String w : words) {
      assertThat(e.getMessage()).contains(w);
    }
  }

  private static List<Path> dirs(Segment... segments) {
    List<Path> out = new ArrayList<>();
    for (Segment s : segments) {
      out.add(s.dir());
    }
    return out;
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  private static List<String> names(List<Path> in) {
    return in.stream().map(VectorMergeChecksTest::name).toList();
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    assertThat(b).hasSameSizeAs(a);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  // ================================================================== helpers: rewriting real segments

  /** A copy of a real segment directory under {@code tmp/mutants/<label>-<n>}. */
  private static Path copy(Segment s, String label) throws IOException {
    Path dst = tmp.resolve("mutants").resolve(label + "-" + (++mutants));
    RealLanceIndexes.copyTree(s.dir(), dst);
    return dst;
  }

  /** A copy of {@code s} whose {@code auxiliary.idx} is rewritten (rows unchanged) after {@code edit}. */
  private static Path mutant(Segment s, String label, Consumer<AuxRewrite> edit) throws IOException {
    Path dst = copy(s, label);
    rewrite(dst.resolve("auxiliary.idx"), edit, Function.identity());
    return dst;
  }

  /**
   * A fake IVF_RQ segment from a FLAT one: aux column {@code flat} renamed {@code _rabit_codes}, key
   * {@code lance:rabit} added, and {@code index.idx} rewritten without its {@code lance:index} key (which says
   * IVF_FLAT), so that only the RQ marks remain.
   */
  private static Path fakeRq(Segment s, String label) throws IOException {
    Path dst = copy(s, label);
    rewrite(dst.resolve("auxiliary.idx"), aux -> aux.metadata.put("lance:rabit", "{\"num_bits\":1}"),
        f -> f.getName().equals("flat") ? new Field("_rabit_codes", f.getFieldType(), f.getChildren()) : f);
    rewrite(dst.resolve("index.idx"), idx -> idx.metadata.remove("lance:index"), Function.identity());
    return dst;
  }

  /** Reads a Lance file fully with our reader, lets {@code edit} change metadata and global buffers, writes it back as 2.1. */
  private static void rewrite(Path file, Consumer<AuxRewrite> edit, Function<Field, Field> fields) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".new");
    try (LanceFileReader r = LanceFileReader.open(file); VectorSchemaRoot root = r.readAll(alloc)) {
      AuxRewrite a = new AuxRewrite(r.numRows(), new LinkedHashMap<>(r.metadata()), new ArrayList<>());
      for (int i = 1; i < r.globalBuffers().size(); i++) {
        a.buffers.add(r.readGlobalBuffer(i));
      }
      edit.accept(a);
      Schema schema = new Schema(r.schema().arrow().getFields().stream().map(fields).toList(), a.metadata);
      try (LanceFileWriter w = LanceFileWriter.create(next, schema, FileVersion.V2_1)) {
        w.write(root);
        for (byte[] b : a.buffers) {
          w.addGlobalBuffer(b);
        }
      }
    }
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Byte-level edit of a Lance file: the page encodings of physical column {@code column} are replaced by an
   * {@code Any} of the same type whose value does not parse; data, global buffers and other columns are kept, the
   * column metadata, its offset table, the global buffer table and the footer are rewritten behind the data.
   */
  private static void corruptPageEncodings(Path file, int column) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int footer = all.length - 40;
    long cmStart = b.getLong(footer);
    long cmoStart = b.getLong(footer + 8);
    long gboStart = b.getLong(footer + 16);
    int nGlobal = b.getInt(footer + 24);
    int nCols = b.getInt(footer + 28);
    for (int g = 0; g < nGlobal; g++) {
      long pos = b.getLong((int) gboStart + 16 * g);
      assertThat(pos).as("global buffer %d lies before the column metadata", g).isLessThan(cmStart);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(all, 0, (int) cmStart);
    ByteBuffer cmo = ByteBuffer.allocate(16 * nCols).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < nCols; c++) {
      int pos = (int) b.getLong((int) cmoStart + 16 * c);
      int size = (int) b.getLong((int) cmoStart + 16 * c + 8);
      byte[] meta = java.util.Arrays.copyOfRange(all, pos, pos + size);
      if (c == column) {
        dev.lancemerge.format.proto.ColumnMetadata m = dev.lancemerge.format.proto.ColumnMetadata.parseFrom(meta);
        dev.lancemerge.format.proto.ColumnMetadata.Builder mb = m.toBuilder();
        assertThat(m.getPagesCount()).isPositive();
        for (int p = 0; p < m.getPagesCount(); p++) {
          var page = m.getPages(p);
          com.google.protobuf.Any any = com.google.protobuf.Any.parseFrom(page.getEncoding().getDirect().getEncoding());
          com.google.protobuf.Any broken = any.toBuilder()
              .setValue(ByteString.copyFrom(new byte[] {0x0A, 0x7F, 0x01})).build(); // 127-byte field, 1 byte there
          mb.setPages(p, page.toBuilder().setEncoding(dev.lancemerge.format.proto.Encoding.newBuilder()
              .setDirect(dev.lancemerge.format.proto.DirectEncoding.newBuilder().setEncoding(broken.toByteString()))));
        }
        meta = mb.build().toByteArray();
      }
      cmo.putLong(out.size()).putLong(meta.length);
      out.write(meta);
    }
    long newCmo = out.size();
    out.write(cmo.array());
    long newGbo = out.size();
    out.write(all, (int) gboStart, 16 * nGlobal);
    ByteBuffer f = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
    f.putLong(cmStart).putLong(newCmo).putLong(newGbo).putInt(nGlobal).putInt(nCols);
    f.put(all, footer + 32, 8); // version and magic, unchanged
    out.write(f.array());
    Files.write(file, out.toByteArray());
  }

  /** A Lance file's schema metadata and its global buffers 1..n (index i of {@code buffers} is buffer i+1). */
  private record AuxRewrite(long rows, Map<String, String> metadata, List<byte[]> buffers) {
    int ivfBuffer() {
      return Integer.parseInt(metadata.get("lance:ivf").trim());
    }

    IVF ivf() {
      try {
        return IVF.parseFrom(buffers.get(ivfBuffer() - 1));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void setIvf(IVF ivf) {
      buffers.set(ivfBuffer() - 1, ivf.toByteArray());
    }

    /** The inner JSON of {@code storage_metadata} (a JSON array holding one JSON string). */
    ObjectNode storage() {
      try {
        ArrayNode arr = (ArrayNode) JSON.readTree(metadata.get("storage_metadata"));
        return (ObjectNode) JSON.readTree(arr.get(0).asText());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void setStorage(ObjectNode inner) {
      try {
        ArrayNode arr = JSON.createArrayNode();
        arr.add(JSON.writeValueAsString(inner));
        metadata.put("storage_metadata", JSON.writeValueAsString(arr));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void setSqBits(int bits) {
      ObjectNode s = storage();
      s.put("num_bits", bits);
      setStorage(s);
      if (metadata.containsKey("lance:sq")) {
        metadata.put("lance:sq", s.toString());
      }
    }

    /** Adds {@code delta} to element 0 of the PQ codebook tensor (the global buffer at codebook_position). */
    void perturbCodebook(float delta) {
      int pos = storage().get("codebook_position").asInt();
      try {
        Tensor t = Tensor.parseFrom(buffers.get(pos - 1));
        assertThat(t.getDataType()).isEqualTo(Tensor.DataType.FLOAT32);
        ByteBuffer data = ByteBuffer.wrap(t.getData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(0, data.getFloat(0) + delta);
        buffers.set(pos - 1, t.toBuilder().setData(ByteString.copyFrom(data.array())).build().toByteArray());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
