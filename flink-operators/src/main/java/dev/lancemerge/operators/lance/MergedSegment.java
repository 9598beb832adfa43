package dev.lancemerge.operators.lance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A segment our kernel wrote from live segments of one index, ready to be committed in their place.
 *
 * @param indexName the index (the same as every input's)
 * @param column the indexed column
 * @param uuid the new segment's id
 * @param directory where its files already are: {@code <dataset>/_indices/<uuid>/}
 * @param replaced the input segments' ids (all committed, all of {@code indexName})
 * @param fragments the union of the inputs' fragments
 * @param template a live segment of the index (an input where there is one): the new segment copies its fields,
 *     details and index version
 * @param newFragments fragments the manifest does not cover yet (those of staged inputs, committed for the first
 *     time); the other fragments are exactly the replaced inputs'
 */
public record MergedSegment(
    String indexName,
    String column,
    UUID uuid,
    Path directory,
    List<UUID> replaced,
    SortedSet<Integer> fragments,
    LiveSegment template,
    SortedSet<Integer> newFragments) {

  public MergedSegment {
    Objects.requireNonNull(indexName, "indexName");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(template, "template");
    replaced = List.copyOf(new LinkedHashSet<>(replaced));
    newFragments = Collections.unmodifiableSortedSet(new TreeSet<>(newFragments));
    if (replaced.isEmpty() && newFragments.isEmpty()) {
      throw new IllegalArgumentException("a merged segment replaces at least one input or adds new fragments");
    }
    if (!fragments.containsAll(newFragments)) {
      throw new IllegalArgumentException("new fragments " + newFragments + " are not among the fragments " + fragments);
    }
    if (replaced.contains(uuid)) {
      throw new IllegalArgumentException("merged segment " + uuid + " lists itself as an input");
    }
    if (!template.indexName().equals(indexName)) {
      throw new IllegalArgumentException("template " + template.uuid() + " belongs to " + template.indexName()
          + ", not " + indexName);
    }
    if (fragments.isEmpty()) {
      throw new IllegalArgumentException("a merged segment covers at least one fragment");
    }
    fragments = Collections.unmodifiableSortedSet(new TreeSet<>(fragments));
  }

  /** A merged segment of committed inputs only (nothing new to the manifest). */
  public MergedSegment(String indexName, String column, UUID uuid, Path directory, List<UUID> replaced,
      SortedSet<Integer> fragments, LiveSegment template) {
    this(indexName, column, uuid, directory, replaced, fragments, template, new TreeSet<>());
  }

  /**
   * The merged segment of {@code inputs} (live segments of one index), written to {@code directory}: fragments
   * are the union of theirs, the template is the first input.
   */
  public static MergedSegment of(String column, UUID uuid, Path directory, List<LiveSegment> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no inputs");
    }
    String name = inputs.get(0).indexName();
    List<UUID> ids = new ArrayList<>();
    SortedSet<Integer> frags = new TreeSet<>();
    for (LiveSegment s : inputs) {
      if (!s.indexName().equals(name)) {
        throw new IllegalArgumentException("inputs of different indexes: " + name + " and " + s.indexName());
      }
      ids.add(s.uuid());
      frags.addAll(s.fragments());
    }
    return new MergedSegment(name, column, uuid, directory, ids, frags, inputs.get(0));
  }
}
