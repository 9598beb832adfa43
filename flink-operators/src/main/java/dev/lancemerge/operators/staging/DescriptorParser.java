package dev.lancemerge.operators.staging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor.Details;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor.SegmentFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns the bytes of a descriptor into a {@link StagedSegmentDescriptor}, checking every field rule of
 * {@code docs/staged-segments.md} (the file system rules are {@link DescriptorValidator}'s). Strict: unknown
 * fields, duplicate keys, trailing content, wrong JSON types and out-of-range numbers are all refused.
 */
public final class DescriptorParser {

  static final Set<String> FIELDS = Set.of(
      "version", "segmentUuid", "indexName", "column", "indexType", "fragmentIds", "details", "files", "createdAt");
  static final Set<String> DETAIL_FIELDS = Set.of("distanceType", "indexVersion", "datasetVersion", "indexDetails");
  static final Set<String> FILE_FIELDS = Set.of("path", "sizeBytes");
  static final Set<String> DISTANCE_TYPES = Set.of("l2", "cosine", "dot", "hamming");

  /** Canonical lower-case UUID text, the only spelling accepted. */
  static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  /** Index names, columns (dots allowed for nested fields) and file names: no leading dot or dash. */
  static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");
  static final int MAX_INDEX_NAME = 128;
  static final int MAX_COLUMN = 256;
  static final int MAX_FILE_NAME = 255;
  /** 9999-12-31T23:59:59.999Z. */
  static final long MAX_CREATED_AT = 253_402_300_799_999L;

  private final StagingLimits limits;
  private final ObjectMapper mapper;

  public DescriptorParser(StagingLimits limits) {
    this.limits = limits;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(8)
            .maxNumberLength(32)
            .maxStringLength(limits.maxDescriptorBytes())
            .maxNameLength(256)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Parses {@code json}, the content of the descriptor file {@code fileName} (used in reasons only). */
  public StagedSegmentDescriptor parse(String fileName, byte[] json) throws InvalidDescriptorException {
    return new Run(fileName).parse(json);
  }

  /** One parse: carries the file name for the reasons. */
  private final class Run {
    private final String file;

    Run(String file) {
      this.file = file;
    }

    private InvalidDescriptorException bad(String reason) {
      return new InvalidDescriptorException(file, reason);
    }

    StagedSegmentDescriptor parse(byte[] json) throws InvalidDescriptorException {
      JsonNode root;
      try {
        root = mapper.readTree(json);
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String msg = Untrusted.oneLine(String.valueOf(e.getOriginalMessage()));
        throw bad("is not valid JSON: " + (msg.length() > 200 ? msg.substring(0, 200) + "..." : msg) + where);
      } catch (IOException e) {
        throw bad("is not valid JSON: " + e.getClass().getSimpleName());
      }
      if (root == null || root.isMissingNode()) {
        throw bad("is empty, not a JSON object");
      }
      if (!root.isObject()) {
        throw bad("is not a JSON object but " + root.getNodeType().name().toLowerCase());
      }
      // The version first: a newer format may have fields this code does not know.
      long version = integral(root, "version", 0, Long.MAX_VALUE);
      if (version != StagedSegmentDescriptor.FORMAT_VERSION) {
        throw bad("unsupported descriptor version " + version
            + " (this job reads version " + StagedSegmentDescriptor.FORMAT_VERSION + ")");
      }
      onlyKnown(root, FIELDS, "");

      String uuidText = text(root, "segmentUuid");
      if (!UUID_TEXT.matcher(uuidText).matches()) {
        throw bad("segmentUuid " + Untrusted.quote(uuidText)
            + " is not a canonical lower-case UUID (8-4-4-4-12 hex digits, e.g. 0f8e2c1a-...)");
      }
      UUID uuid = UUID.fromString(uuidText);
      if (uuid.getMostSignificantBits() == 0 && uuid.getLeastSignificantBits() == 0) {
        throw bad("segmentUuid is the nil UUID");
      }
      String indexName = name(root, "indexName", MAX_INDEX_NAME);
      String column = name(root, "column", MAX_COLUMN);
      String typeText = text(root, "indexType");
      StagedIndexType type = StagedIndexType.parse(typeText).orElseThrow(() -> bad("unknown indexType "
          + Untrusted.quote(typeText) + " (known: " + Arrays.toString(StagedIndexType.values()) + ")"));
      List<Integer> fragments = fragmentIds(root);
      Details details = details(root, type);
      List<SegmentFile> files = files(root, type);
      long createdAt = integral(root, "createdAt", 0, MAX_CREATED_AT);
      return new StagedSegmentDescriptor((int) version, uuid, indexName, column, type, fragments, details, files,
          createdAt);
    }

    private void onlyKnown(JsonNode o, Set<String> known, String prefix) throws InvalidDescriptorException {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!known.contains(f)) {
          throw bad("unknown field " + Untrusted.quote(prefix + f) + " (format version "
              + StagedSegmentDescriptor.FORMAT_VERSION + " has no such field)");
        }
      }
    }

    private JsonNode required(JsonNode o, String field) throws InvalidDescriptorException {
      JsonNode n = o.get(field);
      if (n == null || n.isNull()) {
        throw bad("has no '" + field + "'");
      }
      return n;
    }

    private String text(JsonNode o, String field) throws InvalidDescriptorException {
      JsonNode n = required(o, field);
      if (!n.isTextual()) {
        throw bad("'" + field + "' must be a string, not " + n.getNodeType().name().toLowerCase());
      }
      return n.textValue();
    }

    private long integral(JsonNode o, String field, long min, long max) throws InvalidDescriptorException {
      return integralValue(required(o, field), "'" + field + "'", min, max);
    }

    private long integralValue(JsonNode n, String what, long min, long max) throws InvalidDescriptorException {
      if (!n.isIntegralNumber()) {
        throw bad(what + " must be an integer, not " + (n.isNumber() ? "a fraction" : n.getNodeType().name().toLowerCase()));
      }
      if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
        throw bad(what + " is " + Untrusted.quote(n.asText()) + ", outside " + min + ".." + max);
      }
      return n.longValue();
    }

    private String name(JsonNode o, String field, int maxLength) throws InvalidDescriptorException {
      String s = text(o, field);
      if (s.isEmpty()) {
        throw bad("'" + field + "' is empty");
      }
      if (s.length() > maxLength) {
        throw bad("'" + field + "' is " + s.length() + " characters long, more than " + maxLength);
      }
      if (!SAFE_NAME.matcher(s).matches()) {
        throw bad("'" + field + "' " + Untrusted.quote(s)
            + " has unsafe characters (allowed: letters, digits, '_', '.', '-'; not first: '.', '-')");
      }
      return s;
    }

    private List<Integer> fragmentIds(JsonNode root) throws InvalidDescriptorException {
      JsonNode n = required(root, "fragmentIds");
      if (!n.isArray()) {
        throw bad("'fragmentIds' must be an array");
      }
      int count = n.size();
      if (count == 0) {
        throw bad("'fragmentIds' is empty: a segment covers at least one fragment");
      }
      if (count > limits.maxFragmentIds()) {
        throw bad("'fragmentIds' has " + count + " ids, more than the limit " + limits.maxFragmentIds());
      }
      int[] ids = new int[count];
      for (int i = 0; i < count; i++) {
        ids[i] = (int) integralValue(n.get(i), "fragmentIds[" + i + "]", 0, Integer.MAX_VALUE);
      }
      int[] sorted = ids.clone();
      Arrays.sort(sorted);
      for (int i = 1; i < count; i++) {
        if (sorted[i] == sorted[i - 1]) {
          throw bad("'fragmentIds' lists fragment " + sorted[i] + " more than once");
        }
      }
      List<Integer> out = new ArrayList<>(count);
      for (int id : ids) {
        out.add(id);
      }
      return out;
    }

    private Details details(JsonNode root, StagedIndexType type) throws InvalidDescriptorException {
      JsonNode d = required(root, "details");
      if (!d.isObject()) {
        throw bad("'details' must be an object");
      }
      onlyKnown(d, DETAIL_FIELDS, "details.");
      String distance = null;
      if (type.isVector()) {
        JsonNode n = d.get("distanceType");
        if (n == null || n.isNull()) {
          throw bad("'details.distanceType' is required for " + type);
        }
        if (!n.isTextual() || !DISTANCE_TYPES.contains(n.textValue())) {
          throw bad("'details.distanceType' " + Untrusted.quote(n.asText()) + " is not one of l2, cosine, dot, hamming");
        }
        distance = n.textValue();
      } else if (d.has("distanceType")) {
        throw bad("'details.distanceType' is not allowed for " + type);
      }
      int indexVersion = (int) integralValue(required(d, "indexVersion"), "'details.indexVersion'", 0, Integer.MAX_VALUE);
      Long datasetVersion = null;
      if (d.hasNonNull("datasetVersion")) {
        datasetVersion = integralValue(d.get("datasetVersion"), "'details.datasetVersion'", 1, Long.MAX_VALUE);
      }
      String indexDetails = null;
      if (d.hasNonNull("indexDetails")) {
        JsonNode n = d.get("indexDetails");
        if (!n.isTextual() || n.textValue().isEmpty()) {
          throw bad("'details.indexDetails' must be a non-empty base64 string");
        }
        try {
          Base64.getDecoder().decode(n.textValue());
        } catch (IllegalArgumentException e) {
          throw bad("'details.indexDetails' is not base64 (RFC 4648, padded): " + e.getMessage());
        }
        indexDetails = n.textValue();
      }
      return new Details(distance, indexVersion, datasetVersion, indexDetails);
    }

    private List<SegmentFile> files(JsonNode root, StagedIndexType type) throws InvalidDescriptorException {
      JsonNode n = root.get("files");
      if (n == null || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        throw bad("'files' must be an array");
      }
      if (n.size() > limits.maxFiles()) {
        throw bad("'files' has " + n.size() + " entries, more than the limit " + limits.maxFiles());
      }
      List<SegmentFile> out = new ArrayList<>(n.size());
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < n.size(); i++) {
        JsonNode f = n.get(i);
        String at = "files[" + i + "]";
        if (!f.isObject()) {
          throw bad("'" + at + "' must be an object with 'path' and 'sizeBytes'");
        }
        onlyKnown(f, FILE_FIELDS, at + ".");
        JsonNode p = required(f, "path");
        if (!p.isTextual()) {
          throw bad("'" + at + ".path' must be a string");
        }
        String path = checkFileName(at, p.textValue());
        if (!seen.add(path)) {
          throw bad("'files' lists " + Untrusted.quote(path) + " more than once");
        }
        long size = integralValue(required(f, "sizeBytes"), "'" + at + ".sizeBytes'", 0, limits.maxSegmentFileBytes());
        out.add(new SegmentFile(path, size));
      }
      for (String needed : type.requiredFiles()) {
        if (!seen.contains(needed)) {
          throw bad("'files' does not list " + needed + ", which " + type + " segments need");
        }
      }
      return out;
    }

    /** A plain, relative, safe file name; reasons say which rule {@code path} broke. */
    private String checkFileName(String at, String path) throws InvalidDescriptorException {
      String q = Untrusted.quote(path);
      if (path.isEmpty()) {
        throw bad("'" + at + ".path' is empty");
      }
      if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
        throw bad("'" + at + ".path' " + q + " is an absolute path; paths are relative to the segment directory");
      }
      for (String part : path.split("[/\\\\]", -1)) {
        if (part.equals("..")) {
          throw bad("'" + at + ".path' " + q + " contains '..', which would leave the segment directory");
        }
      }
      if (path.contains("/") || path.contains("\\")) {
        throw bad("'" + at + ".path' " + q + " is not a plain file name (no directories in a segment)");
      }
      if (path.length() > MAX_FILE_NAME || !SAFE_NAME.matcher(path).matches()) {
        throw bad("'" + at + ".path' " + q + " is not a safe file name (letters, digits, '_', '.', '-'; at most "
            + MAX_FILE_NAME + " characters; not starting with '.' or '-')");
      }
      return path;
    }
  }
}
