package dev.lancemerge.tests.cluster.smokejob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Counts and sums what passes, in operator state; when a checkpoint completes, writes
 * {@code cp-<checkpoint>-s<subtask>-a<attempt>.txt} holding {@code count sum} as of that checkpoint.
 */
public final class CountingMap extends RichMapFunction<Long, Long> implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final String outDir;
    private transient ListState<long[]> state;
    private transient long count;
    private transient long sum;
    private transient TreeMap<Long, long[]> pending;

    public CountingMap(String outDir) {
        this.outDir = outDir;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("count-sum", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        count = 0;
        sum = 0;
        for (long[] entry : state.get()) {
            count += entry[0];
            sum += entry[1];
        }
        pending = new TreeMap<>();
    }

    @Override
    public Long map(Long value) {
        count++;
        sum += value;
        return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.update(List.of(new long[] {count, sum}));
        pending.put(context.getCheckpointId(), new long[] {count, sum});
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        long[] snapshot = pending.get(checkpointId);
        pending.headMap(checkpointId, true).clear();
        if (snapshot == null) {
            return;
        }
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        String name = String.format("cp-%06d-s%d-a%d.txt", checkpointId, subtask, attempt);
        try {
            Path dir = Files.createDirectories(Path.of(outDir));
            Path tmp = dir.resolve("." + name + ".tmp");
            Files.writeString(tmp, snapshot[0] + " " + snapshot[1] + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
