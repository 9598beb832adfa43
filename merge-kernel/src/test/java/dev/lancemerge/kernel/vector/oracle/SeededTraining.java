package dev.lancemerge.kernel.vector.oracle;

import dev.lancemerge.oracle.RealLanceIndexes.IvfModel;
import dev.lancemerge.oracle.RealLanceIndexes.PqModel;
import java.util.Random;
import org.lance.index.DistanceType;

/**
 * Seeded k-means for IVF centroids and PQ codebooks. lance-core's {@code VectorTrainer} is not deterministic
 * (two runs on the same data give different centroids and codebooks), so the suite trains its own models from
 * the seeded data and hands them to real Lance as precomputed centroids / codebook, exactly as a distributed
 * driver does. Model quality only affects recall, never whether two merges agree.
 */
final class SeededTraining {
  private static final int ITERATIONS = 20;
  /** PQ codebooks are trained on at most this many rows (every k-th row), as Lance samples too. */
  private static final int PQ_SAMPLE = 4096;

  private SeededTraining() {}

  /** IVF centroids, row-major [nlist, dim]; for cosine trained on normalized vectors. */
  static IvfModel ivf(float[][] vectors, int nlist, DistanceType dt, long seed) {
    float[][] data = dt == DistanceType.Cosine ? normalized(vectors) : vectors;
    float[][] c = kmeans(data, nlist, seed);
    int dim = vectors[0].length;
    float[] flat = new float[nlist * dim];
    for (int i = 0; i < nlist; i++) {
      System.arraycopy(c[i], 0, flat, i * dim, dim);
    }
    return new IvfModel(dt, nlist, flat);
  }

  /**
   * PQ codebook in Lance's layout (sub-vector-major: centroid {@code c} of sub-vector {@code s} at
   * {@code (s * 2^nbits + c) * subDim}), trained on residuals to the nearest IVF centroid for l2/cosine (on
   * normalized vectors for cosine) and on the raw vectors for dot.
   */
  static PqModel pq(float[][] vectors, IvfModel ivf, int numSubVectors, int nbits, long seed) {
    int dim = vectors[0].length;
    int subDim = dim / numSubVectors;
    int codes = 1 << nbits;
    DistanceType dt = ivf.distanceType();
    float[][] data = sample(dt == DistanceType.Cosine ? normalized(vectors) : vectors, PQ_SAMPLE);
    float[][] residual = new float[data.length][];
    for (int i = 0; i < data.length; i++) {
      residual[i] = data[i].clone();
      if (dt != DistanceType.Dot) {
        int p = nearest(ivf.centroids(), dim, data[i]);
        for (int d = 0; d < dim; d++) {
          residual[i][d] -= ivf.centroids()[p * dim + d];
        }
      }
    }
    float[] codebook = new float[codes * dim];
    for (int s = 0; s < numSubVectors; s++) {
      float[][] sub = new float[data.length][subDim];
      for (int i = 0; i < data.length; i++) {
        System.arraycopy(residual[i], s * subDim, sub[i], 0, subDim);
      }
      float[][] c = kmeans(sub, codes, seed * 31 + s);
      for (int k = 0; k < codes; k++) {
        System.arraycopy(c[k], 0, codebook, (s * codes + k) * subDim, subDim);
      }
    }
    return new PqModel(numSubVectors, nbits, codebook);
  }

  private static float[][] sample(float[][] rows, int max) {
    if (rows.length <= max) {
      return rows;
    }
    float[][] out = new float[max][];
    for (int i = 0; i < max; i++) {
      out[i] = rows[(int) ((long) i * rows.length / max)];
    }
    return out;
  }

  static float[][] normalized(float[][] vectors) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      double n = 0;
      for (float x : vectors[i]) {
        n += (double) x * x;
      }
      float inv = (float) (1 / Math.sqrt(n));
      out[i] = new float[vectors[i].length];
      for (int d = 0; d < out[i].length; d++) {
        out[i][d] = vectors[i][d] * inv;
      }
    }
    return out;
  }

  private static int nearest(float[] centroids, int dim, float[] v) {
    int best = 0;
    double bestD = Double.MAX_VALUE;
    for (int c = 0; c < centroids.length / dim; c++) {
      double s = 0;
      for (int d = 0; d < dim; d++) {
        double x = v[d] - centroids[c * dim + d];
        s += x * x;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    return best;
  }

  /** Lloyd's k-means (L2), initialized with {@code k} distinct rows picked by a seeded shuffle. */
  static float[][] kmeans(float[][] data, int k, long seed) {
    int n = data.length;
    int dim = data[0].length;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    float[][] c = new float[k][];
    for (int i = 0; i < k; i++) {
      c[i] = data[perm[i % n]].clone();
    }
    int[] assign = new int[n];
    for (int it = 0; it < ITERATIONS; it++) {
      for (int i = 0; i < n; i++) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int j = 0; j < k; j++) {
          double s = 0;
          for (int d = 0; d < dim; d++) {
            double x = data[i][d] - c[j][d];
            s += x * x;
          }
          if (s < bestD) {
            bestD = s;
            best = j;
          }
        }
        assign[i] = best;
      }
      double[][] sum = new double[k][dim];
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        count[assign[i]]++;
        for (int d = 0; d < dim; d++) {
          sum[assign[i]][d] += data[i][d];
        }
      }
      for (int j = 0; j < k; j++) {
        if (count[j] > 0) { // an empty cluster keeps its centroid
          for (int d = 0; d < dim; d++) {
            c[j][d] = (float) (sum[j][d] / count[j]);
          }
        }
      }
    }
    return c;
  }
}
