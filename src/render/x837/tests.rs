//! Tests of the 837P writer.
