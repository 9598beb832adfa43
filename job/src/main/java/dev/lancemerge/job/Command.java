package dev.lancemerge.job;

import java.io.PrintStream;
import java.util.List;

/** One sub-command of the jar, e.g. {@code inspect}. */
public interface Command {

  /** The word that selects this command, e.g. {@code inspect}. */
  String name();

  /** One line for the command list in the top-level help. */
  String summary();

  /** Full help: usage line, arguments, example. */
  String help();

  /**
   * Help for a command line that asked for it; {@code args} are the other arguments (e.g. {@code merge} in
   * {@code bench merge --help}), so a command with several kinds can explain just the one asked about.
   */
  default String help(List<String> args) {
    return help();
  }

  /**
   * Runs the command with the arguments that follow its name ({@code --help} is handled by {@link Main}).
   *
   * @return the exit code
   */
  int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
