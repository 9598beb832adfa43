package dev.lancemerge.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * Reads a Flink configuration file given by its path: Flink 2.x's {@code config.yaml} (standard YAML, nested or
 * flattened keys), read by Flink's own loader, or a legacy {@code flink-conf.yaml} ({@code key: value} per line,
 * {@code #} comments), which Flink 2.x no longer reads itself.
 */
final class FlinkConfigFile {
  private FlinkConfigFile() {}

  static Configuration load(Path file) throws BadInputException {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no such Flink configuration file");
    }
    try {
      if (file.getFileName().toString().equals("flink-conf.yaml")) {
        return legacy(file);
      }
      try {
        return yaml(file);
      } catch (RuntimeException e) {
        // Not standard YAML: legacy lines such as "key: a: b" still parse line by line.
        return legacy(file);
      }
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read the Flink configuration: " + e.getMessage(), e);
    }
  }

  private static Configuration yaml(Path file) throws IOException {
    Path dir = Files.createTempDirectory("lance-index-merge-conf");
    Path copy = dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME);
    try {
      Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      return GlobalConfiguration.loadConfiguration(dir.toString());
    } finally {
      Files.deleteIfExists(copy);
      Files.deleteIfExists(dir);
    }
  }

  /** {@code key: value} lines as the legacy flink-conf.yaml reader took them. */
  static Configuration legacy(Path file) throws IOException, BadInputException {
    Configuration c = new Configuration();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.trim();
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(": ");
      if (colon < 0 && line.endsWith(":")) {
        colon = line.length() - 1;
      }
      if (colon <= 0) {
        throw new BadInputException(file + ":" + (i + 1) + ": not a 'key: value' line: " + lines.get(i).trim());
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (!value.isEmpty()) {
        c.setString(key, value);
      }
    }
    return c;
  }
}
