package dev.lancemerge.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.operators.plan.IndexPlanTest;
import dev.lancemerge.operators.plan.MergeWindow;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MergeCommittableFormatTest {
  @Test
  void committablesRoundTripWithTheirCheckpointStamp() throws IOException {
    MergeWindow w = MergeWindow.of("user", 42, 1,
        List.of(IndexPlanTest.committed(0, 10), IndexPlanTest.staged(5, 20), IndexPlanTest.committed(2, 30)));
    MergeCommittable ok = MergeCommittable.of(w, "/ds/_indices/" + w.outputUuid(), 900, 12345, 99, null, null)
        .withCheckpointId(7);
    MergeCommittable failed = MergeCommittable.of(w, "/ds/_indices/" + w.outputUuid(), 0, 0, 99, "corrupt page",
        UUID.randomUUID());
    var s = MergeSink.serializer();
    for (MergeCommittable c : List.of(ok, failed)) {
      assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
    }
    assertThat(ok.checkpointId()).isEqualTo(7);
    assertThat(ok.committedInputs()).hasSize(2);
    assertThat(ok.stagedFragments()).containsExactly(5);
    assertThat(ok.fragments()).containsExactly(0, 2, 5);
    assertThat(ok.earliestDiscoveredAt()).isEqualTo(10);
    assertThat(failed.failed()).isTrue();
    assertThatThrownBy(() -> s.deserialize(s.getVersion() + 1, s.serialize(ok)))
        .isInstanceOf(IOException.class).hasMessageContaining("format version");
  }
}
