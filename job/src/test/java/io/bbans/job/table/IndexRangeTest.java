package io.bbans.job.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.junit.jupiter.api.Test;

/** The rows filters on the index let through, which decide the shards a scan reads. */
class IndexRangeTest {
  static long[] range(Filter... filters) {
    return ArchiveRelation.indexRange(filters, "index", 1000);
  }

  @Test
  void filtersOnTheIndexNarrowTheRange() {
    assertArrayEquals(new long[] {0, 999}, range());
    assertArrayEquals(new long[] {0, 999}, range(new IsNotNull("index")));
    assertArrayEquals(new long[] {150, 249}, range(new GreaterThanOrEqual("index", 150L),
        new LessThan("index", 250L)));
    assertArrayEquals(new long[] {151, 250}, range(new GreaterThan("index", 150),
        new LessThanOrEqual("index", 250)));
    assertArrayEquals(new long[] {433, 433}, range(new EqualTo("index", 433L)));
    assertArrayEquals(new long[] {7, 900}, range(new In("index", new Object[] {900L, 7L, 30L})));
    // empty: no shard is read
    assertArrayEquals(new long[] {500, 499}, range(new EqualTo("index", 499L),
        new GreaterThan("index", 499L)));
  }

  @Test
  void otherFiltersAndValuesNarrowNothing() {
    assertArrayEquals(new long[] {0, 999}, range(new EqualTo("label", 3L)));
    assertArrayEquals(new long[] {0, 999}, range(new EqualTo("index", 3.5)));
    assertArrayEquals(new long[] {0, 999}, range(new In("index", new Object[] {1L, "x"})));
    assertArrayEquals(new long[] {0, 999}, range(new GreaterThan("index", Long.MAX_VALUE)));
    assertArrayEquals(new long[] {0, 999}, range(new LessThan("index", Long.MIN_VALUE)));
  }
}
