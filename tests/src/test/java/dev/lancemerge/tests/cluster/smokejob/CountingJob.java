package dev.lancemerge.tests.cluster.smokejob;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The smoke test's job, shipped to the cluster as a jar of this package's classes: a rate-limited source of the
 * numbers {@code 0 .. records-1} (checkpointed position), rebalanced (so data crosses task managers) into
 * {@link CountingMap}, which keeps count and sum in operator state and writes one marker file per completed checkpoint
 * into {@code --out}. Exactly-once state across failovers means the last markers add up to {@code records} numbers
 * summing to {@code records * (records - 1) / 2}.
 *
 * <p>Arguments: {@code --out DIR --records N --rate PER_SECOND [--checkpoint-ms MS]}.
 */
public final class CountingJob {

    private CountingJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        String out = require(options, "out");
        long records = Long.parseLong(require(options, "records"));
        double rate = Double.parseDouble(require(options, "rate"));
        long checkpointMs = Long.parseLong(options.getOrDefault("checkpoint-ms", "500"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(checkpointMs, CheckpointingMode.EXACTLY_ONCE);
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(
                new Identity(), records, RateLimiterStrategy.perSecond(rate), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .uid("numbers")
                .rebalance()
                .map(new CountingMap(out))
                .uid("count")
                .name("count")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        env.execute("cluster smoke: count " + records + " numbers");
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    /** index -> index. */
    static final class Identity implements GeneratorFunction<Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long map(Long index) {
            return index;
        }
    }
}
