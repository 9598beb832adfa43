package dev.lancemerge.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Dispatch, help and usage errors of the command line. */
class MainTest {

  @Test
  void surefireOpensJavaNioLikeTheParentPomSays() {
    // Inherited from the root pom's pluginManagement (${jvm.opens}); Arrow needs it, as the jar's Add-Opens does.
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
  }

  @Test
  void helpOnTheJarListsEveryCommandWithAnExample() {
    for (String flag : new String[] {"--help", "-h", "help"}) {
      Run run = Run.of(flag);
      assertThat(run.code()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).contains("Usage: java -jar job/target/lance-index-merge.jar COMMAND")
          .contains("inspect").contains("merge").contains("demo").contains("bench").contains("Example");
    }
  }

  @Test
  void helpOnEachCommandExplainsUsageArgumentsAndAnExample() {
    String[][] cases = {
      {"inspect", "--help"}, {"demo", "--help"}, {"bench", "--help"}, {"bench", "read", "--help"}, {"help", "inspect"},
      {"merge", "--help"}, {"bench", "merge", "--help"}, {"help", "merge"}, {"run", "--help"}, {"help", "run"},
      {"bench", "job", "--help"},
    };
    for (String[] args : cases) {
      String command = args[0].equals("help") ? args[1] : args[0];
      Run run = Run.of(args);
      assertThat(run.code()).as(String.join(" ", args)).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("Usage: java -jar job/target/lance-index-merge.jar " + command + " ")
          .contains("Example:");
    }
    assertThat(Run.of("inspect", "--help").out()).contains("FILE").contains("\"globalBuffers\"");
    assertThat(Run.of("bench", "--help").out()).contains("--rows").contains("--dim").contains("--repeat").contains("--dir");
    assertThat(Run.of("demo", "-h").out()).contains("--dir");
  }

  @Test
  void unknownCommandIsAUsageErrorWithOneLine() {
    Run run = Run.of("frobnicate", "x");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("error: unknown command 'frobnicate'");
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = Run.of();

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("error: ");
  }

  @Test
  void badOptionsAreUsageErrors() {
    String[][] cases = {
      {"bench"}, {"bench", "write"}, {"bench", "read", "--rows", "many"}, {"bench", "read", "--rows", "0"},
      {"bench", "read", "--speed", "1"}, {"bench", "read", "--dim"}, {"demo", "extra"}, {"demo", "--rows", "5", "--rows", "6"},
      {"demo", "--seconds", "5"}, {"bench", "job", "--type", "sq"}, {"bench", "job", "--interval", "soon"},
      {"bench", "job", "--dir", "/tmp/x", "--reuse", "/tmp/y"}, {"run", "--frobnicate"},
    };
    for (String[] args : cases) {
      Run run = Run.of(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).as(String.join(" ", args)).hasSize(1);
      assertThat(run.errLines().get(0)).startsWith("error: " + args[0] + ": ");
    }
  }
}
