/**
 * What txkit knows about each database product: isolation levels, how to begin a transaction without
 * leaving session state behind, and how to classify its errors by SQLSTATE and vendor code.
 * {@link dev.txkit.dialect.Dialects} finds the dialect for a JDBC URL or product name.
 */
package dev.txkit.dialect;
