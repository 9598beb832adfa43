package dev.lancemerge.job;

import dev.lancemerge.format.LanceFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code lance-index-merge.jar}. {@link #run} does the work and returns the exit code, so
 * tests can call it in-process; {@link #main} exits with it, except when {@code run} was called inside a Flink
 * cluster's client or job manager ({@code flink run}, REST {@code /jars/:id/run}): there {@code main} returns (or
 * throws on failure) and never calls {@link System#exit}, which would end the job manager.
 */
public final class Main {
  static final String JAR = "java -jar job/target/lance-index-merge.jar";

  private final Map<String, Command> commands = new LinkedHashMap<>();

  private Main() {
    for (Command c : List.of(new RunCommand(), new InspectCommand(), new MergeCommand(), new DemoCommand(),
        new BenchCommand())) {
      commands.put(c.name(), c);
    }
  }

  public static void main(String[] args) {
    boolean onCluster = args.length > 0 && args[0].equals("run") && JobRunner.inClusterContext();
    int code = run(args, System.out, System.err);
    System.out.flush();
    if (onCluster) {
      if (code != ExitCode.OK) {
        throw new IllegalStateException("lance-index-merge run failed (exit code " + code + "; see the error line)");
      }
      return;
    }
    System.exit(code);
  }

  /** Runs one command line; writes results to {@code out}, errors (one {@code error:} line) to {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new Main().dispatch(List.of(args), out, err);
  }

  private int dispatch(List<String> args, PrintStream out, PrintStream err) {
    try {
      if (args.isEmpty()) {
        throw new UsageException("no command given (see --help)");
      }
      String first = args.get(0);
      List<String> rest = args.subList(1, args.size());
      if (isHelp(first) || first.equals("help")) {
        if (rest.isEmpty()) {
          out.print(help());
          return ExitCode.OK;
        }
        out.print(command(rest.get(0)).help(rest.subList(1, rest.size())));
        return ExitCode.OK;
      }
      Command command = command(first);
      if (rest.stream().anyMatch(Main::isHelp)) {
        out.print(command.help(rest.stream().filter(x -> !isHelp(x)).toList()));
        return ExitCode.OK;
      }
      return command.run(rest, out, err);
    } catch (UsageException e) {
      return fail(err, e.getMessage(), ExitCode.USAGE);
    } catch (BadInputException | LanceFormatException e) {
      return fail(err, e.getMessage(), ExitCode.BAD_INPUT);
    } catch (IOException e) {
      return fail(err, String.valueOf(e.getMessage()), ExitCode.BAD_INPUT);
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      return fail(err, "internal error: " + e + " at " + Arrays.stream(e.getStackTrace()).findFirst()
          .map(StackTraceElement::toString).orElse("?"), ExitCode.INTERNAL);
    } finally {
      out.flush();
    }
  }

  private Command command(String name) throws UsageException {
    Command c = commands.get(name);
    if (c == null) {
      throw new UsageException("unknown command '" + name + "' (commands: "
          + String.join(", ", commands.keySet()) + "; see --help)");
    }
    return c;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static int fail(PrintStream err, String message, int code) {
    err.println("error: " + message.replace('\r', ' ').replace('\n', ' '));
    err.flush();
    return code;
  }

  private String help() {
    StringBuilder b = new StringBuilder();
    b.append("lance-index-merge: a streaming index merger for Lance; tools for Lance files.\n\n");
    b.append("Usage: ").append(JAR).append(" COMMAND [ARGS...]\n");
    b.append("       ").append(JAR).append(" COMMAND --help\n\n");
    b.append("Commands:\n");
    for (Command c : commands.values()) {
      b.append(String.format("  %-8s %s%n", c.name(), c.summary()));
    }
    b.append("\nExit codes: 0 ok, 1 bad input (unreadable file, segments that cannot be merged, results differ),"
        + " 2 usage error, 3 internal error.\n");
    b.append("\nExample:\n  ").append(JAR).append(" demo\n  ").append(JAR)
        .append(" run --dataset /data/my.lance --index vec_idx,z_idx\n  ").append(JAR).append(" inspect FILE.lance\n  ")
        .append(JAR).append(" merge --output OUT_DIR SEGMENT_DIR...\n");
    return b.toString();
  }
}
