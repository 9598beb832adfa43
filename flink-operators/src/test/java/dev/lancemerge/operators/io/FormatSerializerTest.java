package dev.lancemerge.operators.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.plan.IndexPlan;
import dev.lancemerge.operators.plan.IndexPlanFormat;
import dev.lancemerge.operators.plan.MergeEventFormat;
import dev.lancemerge.operators.plan.MergeEvent;
import java.io.IOException;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Copies: the mutable planner state is really copied (heap copy-on-write needs it), immutable values are not. */
class FormatSerializerTest {
  @Test
  void mutableIndexPlanIsCopiedByValue() throws IOException {
    FormatSerializer<IndexPlan> ser = new FormatSerializer<>(new IndexPlanFormat());
    IndexPlan plan = new IndexPlan("vec_idx", "user-1");
    IndexPlan copy = ser.copy(plan);
    assertThat(ser.isImmutableType()).isFalse();
    assertThat(copy).isNotSameAs(plan);
    assertThat(bytes(ser, copy)).isEqualTo(bytes(ser, plan));
  }

  @Test
  void immutableValuesAreShared() {
    FormatSerializer<MergeEvent> ser = new FormatSerializer<>(new MergeEventFormat());
    MergeEvent e = MergeEvent.close("m1");
    assertThat(ser.isImmutableType()).isTrue();
    assertThat(ser.copy(e)).isSameAs(e);
  }

  private static <T> byte[] bytes(FormatSerializer<T> ser, T v) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    ser.serialize(v, out);
    return out.getCopyOfBuffer();
  }
}
