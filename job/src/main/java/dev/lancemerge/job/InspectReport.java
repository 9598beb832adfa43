package dev.lancemerge.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lancemerge.format.BufferRange;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * What {@code inspect} prints about a Lance file, read with our own reader:
 * {@code {"version","rows","columns":[{"name","type"}],"metadata":{..},"globalBuffers":[{"position","size"}],"pages":{..}}}.
 */
final class InspectReport {
  private InspectReport() {}

  /** Opens {@code file} (metadata only, no column data) and describes it. */
  static ObjectNode of(Path file) throws IOException, BadInputException {
    if (Files.isDirectory(file)) {
      throw new BadInputException(file + ": is a directory, not a Lance file");
    }
    try (LanceFileReader reader = LanceFileReader.open(file)) {
      return of(reader);
    } catch (LanceFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  static ObjectNode of(LanceFileReader reader) {
    ObjectNode root = Json.object();
    root.put("version", reader.version().label());
    root.put("rows", reader.numRows());
    ArrayNode columns = root.putArray("columns");
    for (Field f : reader.schema().arrow().getFields()) {
      columns.addObject().put("name", f.getName()).put("type", f.getType().toString());
    }
    ObjectNode metadata = root.putObject("metadata");
    // Sorted, so the output does not depend on how the writer ordered its map.
    new TreeMap<>(reader.metadata()).forEach(metadata::put);
    ArrayNode buffers = root.putArray("globalBuffers");
    for (BufferRange r : reader.globalBuffers()) {
      buffers.addObject().put("position", r.position()).put("size", r.size());
    }
    ObjectNode pages = root.putObject("pages");
    for (Map.Entry<String, Integer> e : reader.pageCounts().entrySet()) {
      pages.put(e.getKey(), e.getValue());
    }
    return root;
  }
}
