package dev.lancemerge.format;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import dev.lancemerge.format.proto.v20.ColumnEncoding;

/**
 * Wraps encodings in {@link Any} the way Lance (prost) does: a leading slash and the full message
 * name, e.g. {@code /lance.encodings21.PageLayout}, so our files are byte-compatible with Lance's.
 */
public final class LanceTypeUrls {
  private LanceTypeUrls() {}

  public static Any pack(Message m) {
    return Any.newBuilder()
        .setTypeUrl("/" + m.getDescriptorForType().getFullName())
        .setValue(m.toByteString())
        .build();
  }

  /** The column encoding Lance writes for every plain column: {@code ColumnEncoding{values}}. */
  public static Any plainColumnEncoding() {
    return pack(ColumnEncoding.newBuilder().setValues(Empty.getDefaultInstance()).build());
  }
}
