package dev.lancemerge.format;

import com.google.protobuf.Any;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A page ready to be written: its row (or item) count, its buffers in order, and its encoding
 * wrapped in an {@link Any} with Lance's type URL.
 */
public record EncodedPage(long length, List<ByteBuffer> buffers, Any encoding) {}
