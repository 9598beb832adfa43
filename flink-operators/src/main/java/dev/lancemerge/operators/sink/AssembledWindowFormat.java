package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.io.Codec;
import dev.lancemerge.operators.io.Format;
import dev.lancemerge.operators.plan.MergeEventFormat;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Binary form of {@link AssembledWindow}: the window, then varlong slices and slice rows. */
public final class AssembledWindowFormat implements Format<AssembledWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public Class<AssembledWindow> type() {
    return AssembledWindow.class;
  }

  @Override
  public void write(AssembledWindow w, DataOutputView out) throws IOException {
    MergeEventFormat.writeWindow(w.window(), out);
    Codec.writeVarLong(out, w.slices());
    Codec.writeVarLong(out, w.sliceRows());
  }

  @Override
  public AssembledWindow read(DataInputView in) throws IOException {
    return new AssembledWindow(MergeEventFormat.readWindow(in), Codec.readVarLong(in), Codec.readVarLong(in));
  }
}
