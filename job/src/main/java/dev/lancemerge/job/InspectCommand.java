package dev.lancemerge.job;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code inspect FILE}: one JSON object describing a Lance file (version, rows, schema, metadata, buffers, pages). */
final class InspectCommand implements Command {

  @Override
  public String name() {
    return "inspect";
  }

  @Override
  public String summary() {
    return "print one JSON object describing a Lance file (2.0, 2.1 or 2.2)";
  }

  @Override
  public String help() {
    return "Usage: " + Main.JAR + " inspect FILE\n\n"
        + "Reads the footer, schema, metadata and page index of a Lance file with our own reader\n"
        + "(no column data is decoded) and prints one JSON object on one line:\n"
        + "  {\"version\":\"2.1\",\"rows\":N,\"columns\":[{\"name\":..,\"type\":..}],\"metadata\":{..},\n"
        + "   \"globalBuffers\":[{\"position\":..,\"size\":..}],\"pages\":{column:count}}\n"
        + "type is the Arrow type of the top-level field; pages counts the pages of every physical\n"
        + "column that belongs to the field.\n\n"
        + "Arguments:\n"
        + "  FILE   a Lance data or index file (format 2.0, 2.1 or 2.2)\n\n"
        + "Exit codes: 0 ok, 1 the file is missing or not a readable Lance file, 2 usage error.\n\n"
        + "Example:\n"
        + "  " + Main.JAR + " inspect demo-data/sample.lance\n";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Args a = Args.parse(name(), args, Set.of());
    a.expectPositional("FILE");
    Path file = Path.of(a.positional().get(0));
    out.println(Json.line(InspectReport.of(file)));
    return ExitCode.OK;
  }
}
