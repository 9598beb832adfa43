package dev.lancemerge.operators.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replays a stream of per-fragment segments through a {@link TieredMergePolicy}: merges are applied at once
 * (merged size = sum of inputs), the policy is asked again after every arrival, every applied round and every
 * deadline, and after the last arrival until nothing is pending. Checks the policy's contract on every call
 * (inputs live, no segment in two specs, no merge above the maximum) and reports what it cost.
 */
final class WriteAmplification {

    /** One per-fragment segment arriving at {@code atMillis}. */
    record Arrival(long atMillis, long bytes, long rows) {
    }

    record Report(int segmentsIngested, long bytesIngested, long bytesWritten, int merges, int passThroughs,
                  int maxLiveSegments, int finalLiveSegments, long maxWaitMillis, long meanWaitMillis,
                  long largestMergeBytes, int maxGeneration) {

        double writeAmplification() {
            return bytesIngested == 0 ? 0 : (double) bytesWritten / bytesIngested;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "segments=%d ingested=%.1fMiB written=%.1fMiB writeAmplification=%.2fx merges=%d "
                            + "passThroughs=%d maxLive=%d finalLive=%d maxWait=%.1fs meanWait=%.1fs largestMerge=%.1fMiB maxGeneration=%d",
                    segmentsIngested, mib(bytesIngested), mib(bytesWritten), writeAmplification(), merges,
                    passThroughs, maxLiveSegments, finalLiveSegments, maxWaitMillis / 1000.0, meanWaitMillis / 1000.0,
                    mib(largestMergeBytes), maxGeneration);
        }

        private static double mib(long bytes) {
            return bytes / (double) (1L << 20);
        }
    }

    private final TieredMergePolicy policy;
    private final Map<String, SegmentInfo> live = new LinkedHashMap<>();
    private final Map<String, Long> pendingSince = new HashMap<>();
    private final List<MergeSpec> allSpecs = new ArrayList<>();
    private long bytesIngested;
    private long bytesWritten;
    private int merges;
    private int passThroughs;
    private int maxLive;
    private long maxWait;
    private long totalWait;
    private long largestMerge;
    private int maxGeneration;
    private int nextId;

    WriteAmplification(TieredMergePolicy policy) {
        this.policy = policy;
    }

    static Report run(TieredMergePolicy policy, List<Arrival> arrivals) {
        return new WriteAmplification(policy).replay(arrivals);
    }

    /** Equal segments of {@code bytes} every {@code intervalMillis}, starting at 0. */
    static List<Arrival> steady(int count, long bytes, long intervalMillis) {
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            arrivals.add(new Arrival(i * intervalMillis, bytes, bytes / 512));
        }
        return arrivals;
    }

    Report replay(List<Arrival> arrivals) {
        long now = Long.MIN_VALUE;
        for (Arrival a : arrivals) {
            if (a.atMillis() < now) {
                throw new IllegalArgumentException("arrivals must be in time order");
            }
            runDeadlinesUntil(a.atMillis());
            now = a.atMillis();
            String id = "seg-" + nextId++;
            live.put(id, SegmentInfo.fresh(id, a.bytes(), a.rows(), now));
            pendingSince.put(id, now);
            bytesIngested += a.bytes();
            settle(now);
            maxLive = Math.max(maxLive, live.size());
        }
        runDeadlinesUntil(Long.MAX_VALUE);
        if (!pendingSince.isEmpty()) {
            throw new AssertionError("segments still pending after the stream drained: " + pendingSince.keySet());
        }
        return new Report(arrivals.size(), bytesIngested, bytesWritten, merges, passThroughs, maxLive, live.size(),
                maxWait, arrivals.isEmpty() ? 0 : totalWait / arrivals.size(), largestMerge, maxGeneration);
    }

    List<MergeSpec> allSpecs() {
        return allSpecs;
    }

    /** Calls the policy at every deadline before {@code until}. */
    private void runDeadlinesUntil(long until) {
        while (true) {
            long deadline = policy.nextDeadlineMillis(live.values());
            if (deadline == Long.MAX_VALUE || deadline >= until) {
                return;
            }
            settle(deadline);
            maxLive = Math.max(maxLive, live.size());
        }
    }

    /** Asks the policy and applies its merges until it has nothing more to do at {@code now}. */
    private void settle(long now) {
        while (true) {
            List<MergeSpec> specs = policy.findMerges(List.copyOf(live.values()), now);
            if (specs.isEmpty()) {
                return;
            }
            Set<String> taken = new HashSet<>();
            for (MergeSpec spec : specs) {
                for (SegmentInfo in : spec.inputs()) {
                    if (!taken.add(in.id())) {
                        throw new AssertionError("segment " + in.id() + " in two specs: " + specs);
                    }
                    if (!in.equals(live.get(in.id()))) {
                        throw new AssertionError("segment " + in.id() + " is not live");
                    }
                }
            }
            for (MergeSpec spec : specs) {
                apply(spec, now);
            }
        }
    }

    private void apply(MergeSpec spec, long now) {
        allSpecs.add(spec);
        for (SegmentInfo in : spec.inputs()) {
            live.remove(in.id());
            Long since = pendingSince.remove(in.id());
            if (since != null) {
                maxWait = Math.max(maxWait, now - since);
                totalWait += now - since;
            }
        }
        String outId;
        if (spec.isPassThrough()) {
            passThroughs++;
            outId = spec.inputs().get(0).id();
        } else {
            merges++;
            bytesWritten += spec.totalBytes();
            largestMerge = Math.max(largestMerge, spec.totalBytes());
            outId = "seg-" + nextId++;
        }
        SegmentInfo out = spec.output(outId, now);
        maxGeneration = Math.max(maxGeneration, out.generation());
        live.put(outId, out);
    }
}
