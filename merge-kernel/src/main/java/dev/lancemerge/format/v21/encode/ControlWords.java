package dev.lancemerge.format.v21.encode;

/**
 * Full-zip control words: each level entry's rep and def packed into 1, 2 or 4 bytes in front of
 * its value (Lance's {@code build_control_word_iterator}).
 *
 * <p>Widths come from the largest level actually present: {@code bits = 32 - clz(max)} (Lance's
 * {@code log_2_ceil}), 0 when there are no such levels. With both, the word is
 * {@code rep << bitsDef | def}; with one, just that level; with neither, there is no word at all.
 */
final class ControlWords {
  final int bitsRep;
  final int bitsDef;
  final int bytesPerWord;
  private final RepDefLevels levels;
  private final int maxRep;

  ControlWords(RepDefLevels levels) {
    this.levels = levels;
    int mr = levels.hasRep() ? levels.actualMaxRep() : 0;
    int md = levels.hasDef() ? levels.actualMaxDef() : 0;
    this.maxRep = mr;
    this.bitsRep = mr == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(mr);
    this.bitsDef = md == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(md);
    int total = bitsRep + bitsDef;
    this.bytesPerWord = total == 0 ? 0 : total <= 8 ? 1 : total <= 16 ? 2 : 4;
  }

  void write(ByteSink out, int entry) {
    if (bytesPerWord == 0) {
      return;
    }
    long word = ((long) levels.repAt(entry) << bitsDef) | levels.defAt(entry);
    out.uint(word, bytesPerWord);
  }

  /** Whether entry {@code i} starts a top-level row (every entry does without repetition). */
  boolean startsRow(int i) {
    return maxRep == 0 || levels.repAt(i) == maxRep;
  }
}
